"""A page's form posted with the wrong body: JSON (an array, a string, numbers and lists where texts are
expected), binary, a multipart without boundary, invalid UTF-8. With a valid CSRF token, so the form
itself reads it: a French refusal (4xx), never a 500."""
from __future__ import annotations

import html
import re

import httpx
import pytest

from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE

pytestmark = pytest.mark.centralisateur

# one form page per app, reachable without a login
FORMS = [("centralisateur", "/connexion"), ("icare", "/reparateur/creer-un-compte"),
         ("pvo2", "/offres/nouvelle"), ("tec3h", "/clients/nouveau"), ("bee2link", "/vo/ventes/nouvelle"),
         ("neovo", "/dossiers/nouveau"), ("portail_b2b", "/aide/contact")]

BODIES = {
    "JSON array": (b"[1, 2]", "application/json"),
    "JSON string": (b'"texte"', "application/json"),
    "JSON number": (b"42", "application/json"),
    "JSON object of lists and numbers": (b'{"email": [1, 2], "nom": {"a": 1}, "prenoms": 3, "ville": null}',
                                         "application/json"),
    "binary": (bytes(range(256)) * 4, "application/octet-stream"),
    "multipart without boundary": (b"abc", "multipart/form-data"),
    "invalid UTF-8 form": (b"email=\xff\xfe&nom=\xc3\x28&ville=\xed\xa0\x80", "application/x-www-form-urlencoded"),
}


@pytest.mark.parametrize("app,path", FORMS)
def test_a_form_posted_with_a_wrong_body_is_refused_in_french(stack, app, path):
    with httpx.Client(verify=tls_context(), base_url=stack.url(app), timeout=20) as browser:
        page = browser.get(path)
        assert page.status_code == 200, page.status_code
        token = CSRF_RE.search(page.text).group(1)
        for case, (body, content_type) in BODIES.items():
            response = browser.post(path, content=body, headers={"Content-Type": content_type,
                                                                  "X-CSRFToken": token})
            assert 400 <= response.status_code < 500, f"{case}: {response.status_code}"
            text = html.unescape(response.text)
            assert re.search(r"obligatoire|invalide|expiré|requis|pris en charge|saisir|renseign|caractère nul", text, re.I), \
                f"{case}: {text[:300]}"


@pytest.mark.parametrize("app", ["pvo2", "tec3h"])
def test_certification_stock_arrival_refuses_a_bad_body_in_french(stack, factory, app):
    vehicle = factory.handoff()["vehicle"]
    url = stack.url(app) + "/__test__/certification/vehicles"
    refused = [
        httpx.post(url, data={"vehicle": "x"}, timeout=20),
        httpx.post(url, content=b'{"vehicle": {"vin": "\\ud800"}}', timeout=20,
                   headers={"Content-Type": "application/json"}),
        *(httpx.post(url, json=body, timeout=20) for body in (
            None, [1], "x", {"vehicle": {}}, {"vehicle": {**vehicle, "vin": None}, "price_ttc": "15000.00"},
            {"vehicle": vehicle, "price_ttc": "abc"}, {"vehicle": vehicle, "price_ttc": "15000.00", "extra": 1})),
    ]
    for response in refused:
        assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])
        assert response.json()["errors"][0]["message"], response.text
    arrived = httpx.post(url, json={"vehicle": vehicle, "price_ttc": "15000.00"}, timeout=20)
    assert arrived.status_code == 201 and arrived.json()["vehicle_id"]


# one search or login per app (a query reaching the database), and the hand-off API
NUL_REQUESTS = [
    ("centralisateur", "POST", "/connexion", {"email": "a\x00b@example.fr", "password": "x"}),
    ("icare", "POST", "/connexion", {"email": "a\x00b@example.fr", "password": "x"}),
    ("portail_b2b", "POST", "/connexion", {"identifiant": "V1\x0000002", "password": "x"}),
    ("tec3h", "GET", "/clients?q=Du%00pont", None),
    ("pvo2", "GET", "/stock/?recherche=a%00", None),
    ("bee2link", "GET", "/vo?q=a%00", None),
    ("neovo", "GET", "/dossiers/V%0000004", None),
    ("icare", "GET", "/contrats/%00", None),
    ("centralisateur", "GET", "/declarations/SP%00/formulaire", None),
]


@pytest.mark.parametrize("app,method,path,form", NUL_REQUESTS)
def test_a_nul_character_anywhere_is_a_french_400(stack, app, method, path, form):
    # PostgreSQL holds no NUL in a text: such a search or login was a 500 there
    with httpx.Client(verify=tls_context(), base_url=stack.url(app), timeout=20) as browser:
        data = None
        if form is not None:
            data = {"csrf_token": CSRF_RE.search(browser.get(path).text).group(1), **form}
        response = browser.request(method, path, data=data)
    assert response.status_code == 400, response.status_code
    assert "caractère nul (U+0000)" in html.unescape(response.text)


def test_the_handoff_api_refuses_a_nul_character_in_french(stack, factory):
    handoff = factory.handoff()
    handoff["customer"]["last_name"] = "Du\x00pont"
    response = httpx.post(stack.url("centralisateur") + "/api/v1/handoffs", json=handoff, timeout=20,
                          headers={"Authorization": f"Bearer {stack.credentials.dms_key('tec3h')}"})
    assert response.status_code == 400
    assert "caractère nul (U+0000)" in response.json()["errors"][0]["message"]


def test_certification_skip_refuses_a_reason_that_is_not_a_text(stack):
    base = stack.url("centralisateur")
    opened = httpx.post(base + "/certification/sessions", json={"dms": "tec3h"}, timeout=30).json()
    headers = {"Authorization": f"Bearer {opened['key']}", "Accept": "application/json"}
    before = httpx.get(opened["url"], headers=headers, timeout=30).json()["scenarios"]
    for body in (b"[1]", b'"x"', b"1", b'{"reason": ["pas", "un", "texte"]}', b'{"reason": {"a": 1}}'):
        response = httpx.post(opened["url"] + "/skip", content=body, timeout=30,
                              headers={**headers, "Content-Type": "application/json"})
        assert response.status_code == 422, (body, response.status_code)
        assert response.json()["errors"][0]["field"] == "reason"
    after = httpx.get(opened["url"], headers=headers, timeout=30).json()["scenarios"]
    assert [s["status"] for s in after] == [s["status"] for s in before]  # nothing skipped


@pytest.mark.parametrize("app,path", FORMS)
def test_a_form_body_of_many_fields_is_refused_before_it_is_parsed(stack, app, path):
    # werkzeug parses a URL-encoded body whole: 1 MB of "a=1&" cost ~1.5 s of CPU, 8 MB on the Portail B2B
    with httpx.Client(verify=tls_context(), base_url=stack.url(app), timeout=30) as browser:
        token = CSRF_RE.search(browser.get(path).text).group(1)
        fields = b"&".join(b"a%d=1" % i for i in range(40_000))  # ~300 KB
        response = browser.post(path, content=b"csrf_token=" + token.encode() + b"&" + fields,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert "Le contenu envoyé est trop volumineux." in html.unescape(response.text)
