"""The declaration UI's guards over plain HTTP: CSRF, rights, login throttling, cookies, links."""
from __future__ import annotations

import html

import httpx
import pytest

from harness.testing import new_dealer
from tests.centralisateur.support import CSRF_RE, api_client, login, open_form
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur


def test_form_without_csrf_token_is_refused_and_nothing_changes(stack, factory):
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
        browser, url, values = open_form(stack, receipt["declaration_url"])
        del values["csrf_token"]
        response = browser.post(url, data=values)
        assert response.status_code == 400
        assert "Le formulaire a expiré ou n'est pas authentique" in html.unescape(response.text)
        assert api.get(f"/api/v1/declarations/{receipt['bdc_number']}").json()["status"] == "pending"


def test_a_dealer_cannot_open_another_dealers_declaration(stack, factory):
    with api_client(stack) as api:
        bdc = api.post("/api/v1/handoffs", json=factory.handoff()).json()["bdc_number"]
    other = login(stack, "FR10350")
    for path in (f"/declarations/{bdc}", f"/declarations/{bdc}/formulaire", f"/declarations/{bdc}/releve.pdf"):
        assert other.get(path).status_code == 404
    assert bdc not in other.get("/").text


def test_pages_need_a_login(stack):
    response = httpx.get(stack.url("centralisateur") + "/profil")
    assert response.status_code == 302 and response.headers["location"].startswith("/connexion")


def test_login_is_locked_after_repeated_failures(stack, factory):
    dealer = new_dealer(stack, factory)
    login, password = dealer["login"], dealer["password"]
    browser = httpx.Client(verify=tls_context(), base_url=stack.url("centralisateur"), timeout=20)
    token = CSRF_RE.search(browser.get("/connexion").text).group(1)
    for _ in range(4):
        page = browser.post("/connexion", data={"csrf_token": token, "email": login, "password": "x"})
        assert page.status_code == 401 and "Email ou mot de passe incorrect." in page.text
    page = browser.post("/connexion", data={"csrf_token": token, "email": login, "password": "x"})
    assert page.status_code == 429 and "Trop de tentatives" in page.text
    page = browser.post("/connexion", data={"csrf_token": token, "email": login, "password": password})
    assert page.status_code == 429 and "Trop de tentatives" in page.text


def test_session_cookie_is_httponly_and_samesite(stack):
    response = httpx.get(stack.url("centralisateur") + "/connexion")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("token", ["forged", "MQ.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"])
def test_forged_declaration_link_is_refused(stack, token):
    response = httpx.get(stack.url("centralisateur") + f"/declaration/{token}")
    assert response.status_code == 403 and "Lien de déclaration invalide." in response.text


def test_unknown_page_and_method_get_french_errors(stack):
    base = stack.url("centralisateur")
    assert "Page introuvable." in httpx.get(base + "/nulle-part").text
    response = httpx.put(base + "/api/v1/handoffs", headers={"Authorization": f"Bearer {stack.credentials.dms_key('tec3h')}"})
    assert response.status_code == 405
    assert response.json()["errors"][0]["message"] == "Méthode non autorisée pour cette adresse."
