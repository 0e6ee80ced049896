"""CSRF and session fixation on every app with forms: a token taken from another browser's session is
refused in French and changes nothing; a session cookie planted before a login grants nothing after it."""
from __future__ import annotations

import html

import httpx
import pytest

from fixtures import reference
from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE

pytestmark = pytest.mark.centralisateur

CSRF_MESSAGE = "Le formulaire a expiré ou n'est pas authentique"
LOGINS = {  # app: (login form fields, a page only a signed-in user sees)
    "centralisateur": ({"email": reference.demo_dealer("953617Z")["login"]}, "/statistiques"),
    "icare": ({"email": "garantie.vo@axilog-demo.example.fr"}, "/contrats"),
    "portail_b2b": ({"identifiant": "V100002"}, "/espace"),
}


def _password(stack, app: str) -> str:
    if app == "centralisateur":
        return stack.credentials.dealer_password("953617Z")
    return reference.load("icare_billing" if app == "icare" else "portail_b2b")["demo_password"]


def _browser(stack, app: str) -> httpx.Client:
    return httpx.Client(verify=tls_context(), base_url=stack.url(app), timeout=20)


@pytest.mark.parametrize("app,path,fields", [
    ("centralisateur", "/connexion", {}), ("icare", "/connexion", {}), ("portail_b2b", "/connexion", {}),
    ("tec3h", "/clients/nouveau", {"type_client": "particulier", "civilite": "M.", "nom_naissance": "CSRFTEST",
                                   "prenoms": "Jean", "adresse": "1 rue", "code_postal": "75001", "ville": "Paris"}),
    ("pvo2", "/offres/nouvelle", {}), ("bee2link", "/vo/ventes/nouvelle", {}), ("neovo", "/dossiers/nouveau", {}),
])
def test_a_csrf_token_from_another_session_is_refused(stack, app, path, fields):
    with _browser(stack, app) as owner, _browser(stack, app) as victim:
        token = CSRF_RE.search(owner.get(path).text).group(1)
        victim.get(path)  # a session of its own
        if app in LOGINS:
            fields = {**LOGINS[app][0], "password": _password(stack, app)}
        response = victim.post(path, data={"csrf_token": token, **fields})
        assert response.status_code == 400
        assert CSRF_MESSAGE in html.unescape(response.text)
        if app in LOGINS:  # the refused login signed nobody in
            assert victim.get(LOGINS[app][1]).status_code in (302, 303, 401)
        if app == "tec3h":
            found = victim.get("/clients", params={"q": "CSRFTEST"}).text
            assert found.count("CSRFTEST") == 1  # in the search box only: no such customer


@pytest.mark.parametrize("app", list(LOGINS))
def test_a_session_cookie_planted_before_login_grants_nothing(stack, app):
    fields, private = LOGINS[app]
    with _browser(stack, app) as attacker, _browser(stack, app) as victim:
        page = attacker.get("/connexion")
        planted = dict(attacker.cookies)
        for cookie in attacker.cookies.jar:  # the victim's browser carries the attacker's cookie
            victim.cookies.jar.set_cookie(cookie)
        signed_in = victim.post("/connexion", data={"csrf_token": CSRF_RE.search(page.text).group(1), **fields,
                                                    "password": _password(stack, app)})
        assert signed_in.status_code in (302, 303)
        assert victim.get(private).status_code == 200
        assert dict(victim.cookies) != planted  # a fresh session id at login
        assert attacker.get(private).status_code in (302, 303, 401)
