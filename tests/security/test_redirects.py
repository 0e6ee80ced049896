"""No open redirect: every return address (``suivant=``, ``next=``) a user can hand to a login or a
form leads back to this site, whatever a browser would make of it (``\\`` read as ``/``, tabs and line
breaks dropped), and a line break in one is never a 500 (a NUL is refused before: test_content_types)."""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import httpx
import pytest

from fixtures import reference
from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE

pytestmark = pytest.mark.centralisateur

ELSEWHERE = ["//evil.example", "/\\evil.example", "/\\/evil.example", "/\t/evil.example",
             "/\n/evil.example", "/\r\n/evil.example", "https://evil.example/"]
ICARE_ADMIN = ("garantie.vo@axilog-demo.example.fr", reference.load("icare_billing")["demo_password"])


def _stays_here(response: httpx.Response) -> str:
    """The redirect's target, checked to be a path of this site as a browser would read it."""
    assert response.status_code in (302, 303), response.status_code
    location = response.headers["Location"]
    # what a browser does before resolving: strip tabs/line breaks (WHATWG URL), read \ as /
    seen = re.sub(r"[\t\r\n]", "", location).replace("\\", "/")
    assert seen.startswith("/") and not seen.startswith("//") and not urlsplit(seen).netloc, location
    return location


def _browser(base: str) -> httpx.Client:
    return httpx.Client(verify=tls_context(), base_url=base, timeout=20)


@pytest.mark.parametrize("target", ELSEWHERE)
def test_centralisateur_login_never_sends_elsewhere(stack, target):
    dealer = reference.demo_dealer("953617Z")
    with _browser(stack.url("centralisateur")) as browser:
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        response = browser.post("/connexion", params={"suivant": target},
                                data={"csrf_token": token, "email": dealer["login"],
                                      "password": stack.credentials.dealer_password("953617Z")})
        assert _stays_here(response) == "/"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_icare_login_never_sends_elsewhere(stack, target):
    with _browser(stack.url("icare")) as browser:
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        response = browser.post("/connexion", data={"csrf_token": token, "next": target,
                                                     "email": ICARE_ADMIN[0], "password": ICARE_ADMIN[1]})
        assert _stays_here(response) == "/accueil"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_tec3h_new_customer_never_sends_elsewhere(stack, factory, target):
    with _browser(stack.url("tec3h")) as browser:
        token = CSRF_RE.search(browser.get("/clients/nouveau").text).group(1)
        person = factory.customer()
        response = browser.post("/clients/nouveau", params={"next": target}, data={
            "csrf_token": token, "type_client": "particulier", "civilite": person["civility"],
            "nom_naissance": person["last_name"], "prenoms": person["first_name"],
            "adresse": person["address"], "code_postal": person["postcode"], "ville": person["city"]})
        assert _stays_here(response) == "/clients"


def test_a_local_return_address_is_still_followed(stack):
    dealer = reference.demo_dealer("953617Z")
    with _browser(stack.url("centralisateur")) as browser:
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        response = browser.post("/connexion", params={"suivant": "/statistiques?annee=2026"},
                                data={"csrf_token": token, "email": dealer["login"],
                                      "password": stack.credentials.dealer_password("953617Z")})
        assert _stays_here(response) == "/statistiques?annee=2026"


@pytest.mark.parametrize("app", ["centralisateur", "icare", "pvo2", "tec3h", "bee2link", "neovo", "portail_b2b"])
def test_a_slash_redirect_never_leads_to_the_host_header(stack, app):
    """werkzeug answers « /static//x.css » with a redirect built from the request's Host header: a
    forged Host (a proxy passing it on, a poisoned cache) must not make it another site's address."""
    for path, target in (("/static//x.css", "/static/x.css"), ("/static/%2Fx.css", "/static/x.css")):
        answer = httpx.get(stack.url(app) + path, headers={"Host": "evil.example"}, timeout=20)
        assert answer.status_code == 308 and answer.headers["Location"] == target, answer.headers
        assert "evil.example" not in answer.text and f'href="{target}"' in answer.text  # nor the page's link


# every app: a redirect of its own (flask.redirect) where a GET gives one, and werkzeug's "//" redirect
REDIRECTS = {"centralisateur": ("/", 302, "/connexion?suivant=/"), "icare": ("/contrats", 302, "/?next=/contrats"),
             "pvo2": ("/", 302, "/offres/"), "tec3h": ("/", 302, "/stock"), "bee2link": ("/", 302, "/vo"),
             "portail_b2b": ("/espace", 302, "/connexion")}


@pytest.mark.parametrize("app", ["centralisateur", "icare", "pvo2", "tec3h", "bee2link", "neovo", "portail_b2b"])
def test_every_redirect_says_so_in_french(stack, app):
    """flask/werkzeug's redirect page is English (« Redirecting... You should be redirected
    automatically… »): every app's redirects carry a French page, same status and Location."""
    cases = [("/static//x.css", 308, "/static/x.css")] + ([REDIRECTS[app]] if app in REDIRECTS else [])
    for path, status, target in cases:
        answer = httpx.get(stack.url(app) + path, timeout=20)
        assert (answer.status_code, answer.headers["Location"]) == (status, target)
        assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
        page = answer.text
        assert '<html lang="fr">' in page and "Vous allez être redirigé automatiquement vers" in page, page
        assert f'<a href="{html.escape(target)}">' in page
        assert "Redirecting" not in page and "You should be redirected" not in page
