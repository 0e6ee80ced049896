"""Centralisateur sessions: a declaration link opens that declaration only, logout ends the session
on the server, login answers alike for known and unknown accounts, no one can lock a dealer out and
no one can make an app mail an address over and over ("mot de passe perdu")."""
from __future__ import annotations

import html
import re

import httpx
import pytest

from fixtures import reference
from harness.testing import new_dealer
from tests.centralisateur.support import CSRF_RE, api_client, login
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur


def _link_browser(stack, factory) -> tuple[httpx.Client, dict, dict]:
    with api_client(stack) as api:
        first = api.post("/api/v1/handoffs", json=factory.handoff()).json()
        other = api.post("/api/v1/handoffs", json=factory.handoff()).json()
    browser = httpx.Client(verify=tls_context(), follow_redirects=True, timeout=20)
    page = browser.get(first["declaration_url"])
    assert page.status_code == 200 and first["bdc_number"] in html.unescape(page.text)
    return browser, first, other


def test_a_declaration_link_opens_that_declaration_only(stack, factory):
    browser, first, other = _link_browser(stack, factory)
    base = stack.url("centralisateur")
    for path in ("/", "/rgpd", "/statistiques", f"/declarations/{other['bdc_number']}"):
        page = browser.get(base + path)
        assert page.url.path == "/connexion", path
        assert other["bdc_number"] not in page.text
    token = CSRF_RE.search(browser.get(first["declaration_url"]).text).group(1)
    for action in ("export", "effacer"):
        response = browser.post(base + f"/rgpd/{action}", data={"csrf_token": token, "declaration": "1",
                                                               "confirmation": "oui"})
        assert response.url.path == "/connexion" and "Content-Disposition" not in response.headers
    assert browser.get(base + f"/declarations/{first['bdc_number']}").url.path.startswith(
        f"/declarations/{first['bdc_number']}")


def test_a_logged_in_dealer_opening_a_link_keeps_the_account(stack, factory):
    browser = login(stack)
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
    assert browser.get(receipt["declaration_url"]).status_code == 200
    assert "Vos déclarations" in browser.get("/").text


def test_logout_ends_the_session_on_the_server(stack):
    browser = login(stack)
    copied = dict(browser.cookies)
    token = CSRF_RE.search(browser.get("/").text).group(1)
    browser.post("/deconnexion", data={"csrf_token": token})
    replay = httpx.get(stack.url("centralisateur") + "/", cookies=copied)
    assert replay.status_code == 302 and replay.headers["location"].startswith("/connexion")


def test_failures_from_one_client_do_not_lock_the_dealer_out_elsewhere(stack, factory, client_address):
    dealer = new_dealer(stack, factory)
    base = stack.url("centralisateur")
    attacker = httpx.Client(verify=tls_context(), base_url=base, timeout=20,
                            transport=httpx.HTTPTransport(local_address=client_address("attaquant-cds")))
    token = CSRF_RE.search(attacker.get("/connexion").text).group(1)
    for _ in range(6):
        page = attacker.post("/connexion", data={"csrf_token": token, "email": dealer["login"], "password": "x"})
    assert page.status_code == 429 and "Trop de tentatives" in page.text
    # the dealer, from another address (the loopback network gives each 127.x its own client)
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20,
                      transport=httpx.HTTPTransport(local_address=client_address("concessionnaire"))) as dealer_browser:
        token = CSRF_RE.search(dealer_browser.get("/connexion").text).group(1)
        page = dealer_browser.post("/connexion", data={"csrf_token": token, "email": dealer["login"],
                                                       "password": dealer["password"]})
    assert page.status_code == 302


def test_one_client_trying_many_accounts_is_throttled(stack, client_address):
    base = stack.url("centralisateur")
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20,
                      transport=httpx.HTTPTransport(local_address=client_address("comptes-cds"))) as client:
        token = CSRF_RE.search(client.get("/connexion").text).group(1)
        statuses = [client.post("/connexion", data={"csrf_token": token, "email": f"inconnu{n}@example.fr",
                                                    "password": "x"}).status_code for n in range(21)]
    assert statuses[:19] == [401] * 19 and statuses[-1] == 429


KARIM = "karim.benali@equipements-axilog.example.fr"  # a Portail B2B demo user (V100004, COFOR 1002034E)
GARAGE = {"company": "Garage du Port", "siret": "732 829 320 00074", "last_name": "Le Goff", "first_name": "Yann",
          "postcode": "29200", "city": "Brest"}


@pytest.mark.parametrize("app,path,email,fields,subject", [
    ("portail_b2b", "/mot-de-passe-perdu", KARIM, {"identifiant": "V100004"}, "réinitialisation de votre mot de passe"),
    ("portail_b2b", "/identifiant-perdu", KARIM, {"cofor": "1002034E"}, "votre identifiant"),
    ("icare", "/mot-de-passe-oublie", reference.demo_dealer("020319L")["convention_email"], {},
     "Réinitialisation de votre mot de passe"),
    # anyone may ask for a repairer account, giving any address: the acknowledgement is no spam relay
    ("icare", "/reparateur/creer-un-compte", "victime@ailleurs.example.fr", GARAGE, "demande de compte réparateur"),
])
def test_account_mails_to_one_address_are_bounded(hostile_stack, app, path, email, fields, subject):
    # on a stack of its own: the bound is per address and hour, the shared stack's suites mail these
    base = hostile_stack.url(app)

    def mails() -> int:
        found = httpx.get(base + "/outbox/mails.json", params={"to": email}, timeout=20).json()["mails"]
        return sum(subject in mail["subject"] for mail in found)

    before = mails()
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20) as browser:
        token = CSRF_RE.search(browser.get(path).text).group(1)
        answers = [browser.post(path, data={"csrf_token": token, "email": email, **fields}) for _ in range(7)]
    assert {a.status_code for a in answers} == {200}
    assert len({re.sub(r'(value|content)="[^"]*"', "", a.text) for a in answers}) == 1  # alike (but tokens)
    assert mails() - before == 5
