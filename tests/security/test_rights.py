"""Rights on every id in a URL, over HTTP: a dealer signed in to the centralisateur reaches no page,
PDF or action of another dealer's declaration (nor changes it with a valid form token); an Icare
establishment sees no contract and no user of another; a Portail B2B user sees only what their role
shows (a plain user themself, an ASL Tiers their own company's identifiants)."""
from __future__ import annotations

import html
import re

import httpx
import pytest

from fixtures import reference
from fixtures.icare_factories import icare_sale
from harness.testing import create
from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE, api_client, login
from tests.security.test_csrf_and_fixation import _password

pytestmark = pytest.mark.centralisateur

DECLARATION_PAGES = ("", "/garantie", "/formulaire", "/confirmation", "/releve.pdf", "/certificat.pdf", "/echanges")
DECLARATION_ACTIONS = ("/garantie", "/formulaire", "/relancer")


def test_no_declaration_route_opens_another_dealers_declaration(stack, factory):
    with api_client(stack) as api:  # a sale of 953617Z
        bdc = api.post("/api/v1/handoffs", json=factory.handoff()).json()["bdc_number"]
        other = login(stack, "FR10350")
        token = CSRF_RE.search(other.get("/").text).group(1)
        for suffix in DECLARATION_PAGES:
            page = other.get(f"/declarations/{bdc}{suffix}")
            assert page.status_code == 404, (suffix, page.status_code)
            assert bdc not in page.text
        for suffix in DECLARATION_ACTIONS:
            answer = other.post(f"/declarations/{bdc}{suffix}", data={
                "csrf_token": token, "programme": "SPOTICAR", "garantisseur": "stellantis"})
            assert answer.status_code == 404, (suffix, answer.status_code)
        assert api.get(f"/api/v1/declarations/{bdc}").json()["status"] == "pending"  # nothing changed
    mine = login(stack, "953617Z")
    assert mine.get(f"/declarations/{bdc}/formulaire").status_code == 200  # the owner still opens it


def _icare_login(stack, email: str, password: str) -> httpx.Client:
    browser = httpx.Client(verify=tls_context(), base_url=stack.url("icare"), timeout=20)
    token = CSRF_RE.search(browser.get("/connexion").text).group(1)
    assert browser.post("/connexion", data={"csrf_token": token, "email": email,
                                            "password": password}).status_code in (302, 303)
    return browser


def _user_of_another_site(stack, factory) -> tuple[httpx.Client, int]:
    """An administrator of T10350 (FR10350) signed in, and the id of a user they created there."""
    email, password = f"admin.{factory.fake.unique.user_name()}@cdds-demo.example.fr", "Droits-Autre-Site-2026!"
    create(stack, "icare", "/portal-users", {"email": email, "password": password, "rrdi": "FR10350"})
    other = _icare_login(stack, email, password)
    page = other.get("/gestion-des-comptes/nouveau")
    member = f"membre.{factory.fake.unique.user_name()}@cdds-demo.example.fr"
    assert other.post("/gestion-des-comptes/nouveau", data={
        "csrf_token": CSRF_RE.search(page.text).group(1), "code_t": "T10350", "email": member,
        "last_name": "Membre", "first_name": "Marc", "rights": ["recherche"]}).status_code in (302, 303)
    listed = other.get("/gestion-des-comptes", params={"q": member}).text
    return other, int(re.search(r"/gestion-des-comptes/(\d+)", listed).group(1))


def _contract(stack, factory, rrdi: str) -> str:
    npo, contract = icare_sale(factory, reference.demo_dealer(rrdi))
    headers = stack.credentials.icare_headers()
    httpx.post(stack.url("icare") + "/api/v1/npo", json=npo, headers=headers, timeout=20)
    created = httpx.post(stack.url("icare") + "/api/v1/contracts", json=contract, headers=headers, timeout=20)
    assert created.status_code == 201, created.text
    return created.json()["contract_number"]


def test_an_icare_establishment_sees_no_contract_or_user_of_another(stack, factory):
    own, elsewhere = _contract(stack, factory, "953617Z"), _contract(stack, factory, "FR10350")
    other, member = _user_of_another_site(stack, factory)
    browser = _icare_login(stack, "garantie.vo@axilog-demo.example.fr", _password(stack, "icare"))  # T18654 only
    try:
        assert browser.get(f"/contrats/{own}").status_code == 200
        refused = browser.get(f"/contrats/{elsewhere}")
        assert refused.status_code == 404 and "Aucun contrat" in html.unescape(refused.text)
        found = browser.get("/contrats", params={"filtre": elsewhere}).text
        assert "Aucun devis ni contrat pour ce filtre." in html.unescape(found)
        assert f"/contrats/{elsewhere}" not in found
        assert browser.get(f"/gestion-des-comptes/{member}").status_code == 404
        token = CSRF_RE.search(browser.get("/gestion-des-comptes").text).group(1)
        changed = browser.post(f"/gestion-des-comptes/{member}", data={"csrf_token": token,
                                                                       "rights": ["recherche", "comptes"]})
        assert changed.status_code == 404
        rights = other.get(f"/gestion-des-comptes/{member}").text  # as its own site still sees them
        assert re.findall(r'name="rights" value="(\w+)" checked', rights) == ["recherche"]
    finally:
        browser.close()
        other.close()


@pytest.mark.parametrize("identifiant,shown", [("V100002", {"V100002"}),
                                               ("V100001", {"V100001", "V100002", "V100003", "V100004"})])
def test_a_portail_b2b_user_sees_what_their_role_shows(stack, identifiant, shown):
    with httpx.Client(verify=tls_context(), base_url=stack.url("portail_b2b"), timeout=20) as browser:
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        browser.post("/connexion", data={"csrf_token": token, "identifiant": identifiant,
                                         "password": _password(stack, "portail_b2b")})
        space = html.unescape(browser.get("/espace").text)
    assert set(re.findall(r"V\d{6}", space)) == shown
    others = {u["email"] for s in reference.load("portail_b2b")["suppliers"] for u in s.get("users", [])
              if u["identifiant"] not in shown}
    assert not any(email in space for email in others)
