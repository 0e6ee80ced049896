"""A page's form posted with the wrong body: JSON (an array, a string, numbers and lists where texts are
expected), binary, a multipart without boundary, invalid UTF-8. With a valid CSRF token, so the form
itself reads it: a French refusal (4xx), never a 500."""
from __future__ import annotations

import html
import re

import httpx
import pytest

from spoticar_handoff.client import tls_context
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
            assert re.search(r"obligatoire|invalide|expiré|requis|pris en charge|saisir|renseign", text, re.I), \
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
