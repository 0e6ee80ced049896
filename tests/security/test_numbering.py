"""Numbers handed out at once are all different: PVO2 offers (the offer's and its bon de commande's
number), Tec3H clients (Client N°) and stock vehicles sent at the same moment each get their own
number from a counter row (``common.counters``), not ``max + 1`` — and none of the answers is a 5xx.
Passes on SQLite and on PostgreSQL (``bash scripts/with-postgres.sh .venv/bin/pytest -p no:xdist
tests/security/test_numbering.py``)."""
from __future__ import annotations

import concurrent.futures as cf
import html
import re

import httpx
import pytest

from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE

pytestmark = pytest.mark.centralisateur

AT_ONCE = 6


def _at_once(send, count: int = AT_ONCE) -> list[httpx.Response]:
    with cf.ThreadPoolExecutor(count) as pool:
        return list(pool.map(send, range(count)))


def _arrivals(base: str, factory) -> list[int]:
    """``AT_ONCE`` stock vehicles sent to a DMS at the same moment: their ids, all answered 201."""
    vehicles = [factory.handoff()["vehicle"] for _ in range(AT_ONCE)]
    answers = _at_once(lambda n: httpx.post(base + "/__test__/certification/vehicles", timeout=30,
                                            json={"vehicle": vehicles[n], "price_ttc": "15000.00"}))
    assert [a.status_code for a in answers] == [201] * AT_ONCE, [a.text[:300] for a in answers]
    return [a.json()["vehicle_id"] for a in answers]


def test_pvo2_offers_made_at_once_have_distinct_numbers(stack, factory):
    base = stack.url("pvo2")
    vehicle_ids = _arrivals(base, factory)
    people = [factory.customer() for _ in range(AT_ONCE)]
    with httpx.Client(verify=tls_context(), base_url=base, timeout=30) as browser:
        token = CSRF_RE.search(browser.get("/offres/nouvelle").text).group(1)

        def offer(n: int) -> httpx.Response:
            c = people[n]
            return browser.post("/offres/nouvelle", data={
                "csrf_token": token, "civility": "M", "last_name": c["last_name"], "first_name": c["first_name"],
                "address": c["address"], "postcode": c["postcode"], "city": c["city"], "phone": "",
                "email": c["email"], "vehicle_id": vehicle_ids[n]})
        answers = _at_once(offer)
        assert [a.status_code for a in answers] == [302] * AT_ONCE, [a.text[:300] for a in answers]
        numbers = [int(a.headers["Location"].rsplit("/", 1)[1]) for a in answers]
        assert len(set(numbers)) == AT_ONCE
        for number, c in zip(numbers, people):  # each number is the offer of the customer who made it
            assert c["last_name"].upper() in browser.get(f"/offres/{number}").text.upper()


def test_tec3h_clients_created_at_once_have_distinct_numbers(stack, factory):
    people = [factory.customer() for _ in range(AT_ONCE)]
    with httpx.Client(verify=tls_context(), base_url=stack.url("tec3h"), timeout=30) as browser:
        token = CSRF_RE.search(browser.get("/clients/nouveau").text).group(1)

        def create(n: int) -> httpx.Response:
            c = people[n]
            return browser.post("/clients/nouveau", data={
                "csrf_token": token, "type_client": "particulier", "civilite": c["civility"],
                "nom_naissance": c["last_name"], "nom_usage": c["last_name"], "prenoms": c["first_name"],
                "adresse": c["address"], "code_postal": c["postcode"], "ville": c["city"],
                "tel_mobile": c["mobile"], "email": c["email"], "date_naissance": "17/05/1960", "next": "/clients"})
        answers = _at_once(create)
        assert [a.status_code for a in answers] == [302] * AT_ONCE, [a.text[:300] for a in answers]
        numbers = [int(re.search(r"client=(\d+)", a.headers["Location"]).group(1)) for a in answers]
        assert len(set(numbers)) == AT_ONCE
        for number, c in zip(numbers, people):
            listed = browser.get("/clients", params={"q": c["email"]}).text
            assert str(number) in listed and c["email"] in listed


def test_tec3h_vehicles_arriving_at_once_have_distinct_references(stack, factory):
    base = stack.url("tec3h")
    ids = _arrivals(base, factory)
    with httpx.Client(verify=tls_context(), base_url=base, timeout=30) as browser:
        references = {re.search(r"CERT\d{5}", browser.get(f"/vehicules/{vid}").text).group(0) for vid in ids}
    assert len(references) == AT_ONCE


@pytest.mark.parametrize("app,path", [("bee2link", "/vo/ventes/nouvelle"), ("neovo", "/dossiers/nouveau")])
def test_dms_sales_entered_at_once_have_distinct_numbers(stack, factory, app, path):
    from tests.security.test_double_submit import _sale_entry
    entries = [_sale_entry(stack, factory, app, path) for _ in range(AT_ONCE)]
    try:
        answers = _at_once(lambda n: entries[n][0].post(path, data=entries[n][1]))
        assert [a.status_code for a in answers] == [303] * AT_ONCE, [a.text[:300] for a in answers]
        pages = [entries[n][0].get(answers[n].headers["Location"]).text for n in range(AT_ONCE)]
    finally:
        for browser, _fields in entries:
            browser.close()
    if app == "neovo":  # the dossier's number is its address
        numbers = [a.headers["Location"].rsplit("/", 1)[1] for a in answers]
    else:
        numbers = [re.search(r"n°\s*(\d+)", page).group(1) for page in pages]
    assert len(set(numbers)) == AT_ONCE, numbers
    for page, (_browser, fields) in zip(pages, entries):  # each number shows the sale that made it
        shown = fields["plate"] if app == "bee2link" else fields["last_name"]  # what each page shows first
        assert shown.lower() in html.unescape(page).lower()
