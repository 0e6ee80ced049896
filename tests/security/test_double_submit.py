"""The same form sent several times at once (a double click, two tabs, a retry): one record, and no
answer a 5xx — a Tec3H order for one vehicle, a Portail B2B company presented once, an Icare user
created once. Passes on SQLite and on PostgreSQL (``bash scripts/with-postgres.sh .venv/bin/pytest
-p no:xdist tests/security/test_double_submit.py``); a uniqueness race no view foresaw is a French 409
(``common.web``), never a 500."""
from __future__ import annotations

import concurrent.futures as cf
import html
import re

import httpx
import pytest

from fixtures import reference
from spoticar_handoff.client import tls_context
from tests.centralisateur.support import CSRF_RE
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


def test_a_company_presented_at_once_is_presented_once(stack, factory):
    base = stack.url("portail_b2b")
    siret, name = factory.fake.siret(), f"SOCIETE {factory.fake.unique.last_name().upper()} DOUBLE"
    with httpx.Client(verify=tls_context(), base_url=base, timeout=30,
                      transport=httpx.HTTPTransport(local_address="127.0.0.25")) as browser:
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
