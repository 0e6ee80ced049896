"""The same form sent several times at once (a double click, two tabs, a retry): one record, and no
answer a 5xx — a Tec3H stock vehicle and a Tec3H order for one vehicle, a Bee2link or NeoVO sale entered once (each copy would be
declared: several contracts for one car), a Portail B2B company presented once, an Icare user created
and a claim filed once. Passes on SQLite and on PostgreSQL (``bash scripts/with-postgres.sh .venv/bin/pytest
-p no:xdist tests/security/test_double_submit.py``); a uniqueness race no view foresaw is a French 409
(``common.web``), never a 500."""
from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import html
import re

import httpx
import pytest

from fixtures import reference
from fixtures.icare_factories import icare_sale
from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE
from tests.security.test_crawl import _Page
from tests.security.test_csrf_and_fixation import _password

pytestmark = pytest.mark.centralisateur

AT_ONCE = 6


def _all_at_once(browser: httpx.Client, path: str, data: dict) -> list[httpx.Response]:
    with cf.ThreadPoolExecutor(AT_ONCE) as pool:
        return list(pool.map(lambda _n: browser.post(path, data=data), range(AT_ONCE)))


def _no_5xx(answers: list[httpx.Response]) -> None:
    assert all(a.status_code < 500 for a in answers), [(a.status_code, a.text[:200]) for a in answers]


def test_one_tec3h_order_per_vehicle_when_sent_at_once(stack, factory):
    base = stack.url("tec3h")
    vehicle = factory.handoff()["vehicle"]
    arrived = httpx.post(base + "/__test__/certification/vehicles", json={"vehicle": vehicle, "price_ttc": "15000.00"},
                         timeout=20)
    assert arrived.status_code == 201, arrived.text
    path = f"/vehicules/{arrived.json()['vehicle_id']}/offre"
    with httpx.Client(verify=tls_context(), base_url=base, timeout=30) as browser:
        token = CSRF_RE.search(browser.get(path).text).group(1)
        answers = _all_at_once(browser, path, {
            "csrf_token": token, "client": "120811", "statut": "Commande", "service": "Aucun service",
            "commercial": "Nicolas Pélissier", "prix": "15000", "date_vente": "29/11/2025",
            "date_livraison": "30/11/2025", "origine": "Inconnue", "paiement": "Virement"})
        _no_5xx(answers)
        sales = html.unescape(browser.get("/ventes", params={"q": vehicle["plate"]}).text)
    assert len(set(re.findall(r"/ventes/(\d+)/modifier", sales))) == 1


def test_a_company_presented_at_once_is_presented_once(stack, factory, client_address):
    base = stack.url("portail_b2b")
    siret, name = factory.fake.siret(), f"SOCIETE {factory.fake.unique.last_name().upper()} DOUBLE"
    with httpx.Client(verify=tls_context(), base_url=base, timeout=30,
                      transport=httpx.HTTPTransport(local_address=client_address("presentation-double"))) as browser:
        token = CSRF_RE.search(browser.get("/presentation").text).group(1)
        answers = _all_at_once(browser, "/presentation", {
            "csrf_token": token, "cofor": "", "name": name, "siret": siret, "address": "1 rue de la Paix",
            "postcode": "75002", "city": "Paris", "country": "France",
            "activity": reference.load("portail_b2b")["activities"][0], "contact_last_name": "Durand",
            "contact_first_name": "Léa", "contact_email": factory.fake.email(), "contact_phone": "0123456789"})
    _no_5xx(answers)
    assert sorted(a.status_code for a in answers) == [200] + [409] * (AT_ONCE - 1)
    mails = httpx.get(base + "/outbox/mails.json", timeout=20).json()["mails"]
    assert sum(name in m["body"] for m in mails) == 1


def test_an_icare_user_created_at_once_is_created_once(stack, factory):
    base = stack.url("icare")
    email = f"double.{factory.fake.unique.user_name()}@garage-demo.example.fr"
    with httpx.Client(verify=tls_context(), base_url=base, timeout=30) as browser:
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        browser.post("/connexion", data={"csrf_token": token, "email": "garantie.vo@axilog-demo.example.fr",
                                         "password": _password(stack, "icare")})
        page = browser.get("/gestion-des-comptes/nouveau")
        code_t = re.search(r'name="code_t" value="(T\d+)"', page.text).group(1)
        answers = _all_at_once(browser, "/gestion-des-comptes/nouveau", {
            "csrf_token": CSRF_RE.search(page.text).group(1), "code_t": code_t, "email": email,
            "last_name": "Double", "first_name": "Dora", "rights": ["recherche"]})
        _no_5xx(answers)
        listed = browser.get("/gestion-des-comptes", params={"q": email}).text
    assert listed.count(f"<td>{email}</td>") == 1  # one row
    mails = httpx.get(base + "/outbox/mails.json", params={"to": email}, timeout=20).json()["mails"]
    assert len(mails) == 1


def test_an_icare_claim_sent_at_once_is_filed_once(stack, factory):
    npo, contract = icare_sale(factory, reference.demo_dealer("953617Z"))
    headers = stack.credentials.icare_headers()
    httpx.post(stack.url("icare") + "/api/v1/npo", json=npo, headers=headers, timeout=20)
    created = httpx.post(stack.url("icare") + "/api/v1/contracts", json=contract, headers=headers, timeout=20)
    number = created.json()["contract_number"]
    with httpx.Client(verify=tls_context(), base_url=stack.url("icare"), timeout=30) as browser:
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        browser.post("/connexion", data={"csrf_token": token, "email": "garantie.vo@axilog-demo.example.fr",
                                         "password": _password(stack, "icare")})
        page = browser.get("/prise-en-charge/nouvelle", params={"contrat": number})
        answers = _all_at_once(browser, str(page.url.path), {
            "csrf_token": CSRF_RE.search(page.text).group(1), "contract_number": number, "nature": "Entretien",
            "work_date": contract["start_date"][8:10] + "/" + contract["start_date"][5:7] + "/"
                         + contract["start_date"][:4],
            "mileage_km": "12000", "description": "Vidange et filtres", "amount_ht": "180,00"})
        _no_5xx(answers)
        found = browser.get("/prise-en-charge", params={"q": number}).text
    assert len(set(re.findall(r"PEC\d{8}", found))) == 1


def _sale_entry(stack, factory, app: str, path: str) -> tuple[httpx.Client, dict]:
    """A browser on ``app``'s sale entry form, and the form's fields filled with a new sale."""
    browser = httpx.Client(verify=tls_context(), base_url=stack.url(app), timeout=30)
    parsed = _Page()
    parsed.feed(browser.get(path).text)
    fields = next(f["fields"] for f in parsed.forms if "plate" in f["fields"])  # selects: first option
    handoff = factory.handoff()
    vehicle, customer, sale = handoff["vehicle"], handoff["customer"], handoff["sale"]
    french = lambda iso: dt.date.fromisoformat(iso).strftime("%d/%m/%Y")  # noqa: E731
    fields.update({name: vehicle[name] for name in ("plate", "vin", "brand", "model", "version", "din_power",
                                                    "fiscal_power", "kw_power", "mileage_km", "ptac_kg")})
    fields.update({name: customer[name] for name in ("last_name", "first_name", "address", "postcode", "city")})
    fields.update(first_registration=french(vehicle["first_registration"]), seller="Jean Vendeur",
                  sale_date=french(sale["sale_date"]), delivery_date=french(sale["delivery_date"]),
                  price_ttc="15000")
    return browser, fields


@pytest.mark.parametrize("app,path", [("bee2link", "/vo/ventes/nouvelle"), ("neovo", "/dossiers/nouveau")])
def test_a_dms_sale_entered_at_once_is_stored_once(stack, factory, app, path):
    browser, fields = _sale_entry(stack, factory, app, path)
    try:
        answers = _all_at_once(browser, path, fields)
        _no_5xx(answers)
        assert {a.status_code for a in answers} == {303}
        assert len({a.headers["Location"] for a in answers}) == 1  # all lead to the one record
        again = browser.post(path, data=fields)  # sent again later: still that one
        assert again.headers["Location"] == answers[0].headers["Location"]
    finally:
        browser.close()


def test_a_tec3h_stock_vehicle_created_at_once_is_created_once(stack, factory):
    plate = factory.handoff()["vehicle"]["plate"]
    base = stack.url("tec3h")
    with httpx.Client(verify=tls_context(), base_url=base, timeout=30) as browser:
        token = CSRF_RE.search(browser.get("/vehicules/nouveau").text).group(1)
        answers = _all_at_once(browser, "/vehicules/nouveau", {
            "csrf_token": token, "marque": "Peugeot", "energie": "Diesel", "mec": "10/10/2018",
            "annee_modele": "2018", "modele": "308 (2)", "version": "1.5 BlueHDi 130 S&S EAT8 Allure",
            "version_id": "J00010", "immatriculation": plate, "vin": "VF3LBYHZRKS000123", "km": "45000",
            "prix": "17500"})
        _no_5xx(answers)
        assert sorted(a.status_code for a in answers) == [302] + [422] * (AT_ONCE - 1)
        refused = next(a for a in answers if a.status_code == 422)
        assert f"Un véhicule immatriculé {plate} est déjà en stock." in html.unescape(refused.text)
        stock = html.unescape(browser.get("/stock", params={"q": plate}).text)
    assert len(set(re.findall(r"/vehicules/(\d+)\"", stock))) == 1


def test_one_vehicle_gets_one_icare_contract_when_two_sales_arrive_at_once(stack, factory):
    # two declarations of the same car (two orders, two BDC numbers) reaching Icare together
    bodies = []
    for _ in range(AT_ONCE):
        npo, contract = icare_sale(factory, reference.demo_dealer("953617Z"))
        bodies.append((npo, contract))
    vin = bodies[0][1]["vehicle"]["vin"]
    headers = stack.credentials.icare_headers()
    with httpx.Client(base_url=stack.url("icare"), headers=headers, timeout=30) as icare:
        for npo, contract in bodies:
            contract["vehicle"]["vin"] = npo["vin"] = vin
            assert icare.post("/api/v1/npo", json=npo).status_code in (200, 201)
        with cf.ThreadPoolExecutor(AT_ONCE) as pool:
            answers = list(pool.map(lambda body: icare.post("/api/v1/contracts", json=body[1]), bodies))
        _no_5xx(answers)
        assert sorted(a.status_code for a in answers) == [201] + [422] * (AT_ONCE - 1)
        stored = [icare.get("/api/v1/contracts", params={"bdc_number": c["bdc_number"]}).json()["contracts"]
                  for _npo, c in bodies]
    assert sum(len(found) for found in stored) == 1
