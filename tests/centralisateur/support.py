"""Driving the centralisateur over plain HTTP (no browser): hand-offs and the declaration forms."""
from __future__ import annotations

import html
import re

import httpx

from fixtures import reference
from spoticar_handoff.tls import tls_context

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def api_headers(stack, dms: str = "tec3h") -> dict:
    """The hand-off API's authorization as ``dms`` (its key from the stack's credentials)."""
    return {"Authorization": f"Bearer {stack.credentials.dms_key(dms)}"}


def api_client(stack, dms: str = "tec3h") -> httpx.Client:
    """An ``httpx`` client of the hand-off API speaking as ``dms``."""
    return httpx.Client(verify=tls_context(), base_url=stack.url("centralisateur"), timeout=20, headers=api_headers(stack, dms))


def login(stack, rrdi: str = "953617Z") -> httpx.Client:
    """A browser-like client logged in as the demo dealer ``rrdi`` (on its Accueil)."""
    dealer = reference.demo_dealer(rrdi)
    browser = httpx.Client(verify=tls_context(), base_url=stack.url("centralisateur"), follow_redirects=True, timeout=20)
    token = CSRF_RE.search(browser.get("/connexion").text).group(1)
    page = browser.post("/connexion", data={"csrf_token": token, "email": dealer["login"],
                                            "password": stack.credentials.dealer_password(rrdi)})
    assert page.status_code == 200 and "Vos déclarations" in page.text
    return browser


def form_values(page: str) -> dict:
    """The values a browser would submit for the declaration form as rendered."""
    values: dict = {"csrf_token": CSRF_RE.search(page).group(1)}
    for m in re.finditer(r'<input type="text" id="f-\w+" name="(\w+)"[^>]*value="([^"]*)"', page):
        values[m.group(1)] = html.unescape(m.group(2))
    for m in re.finditer(r'<select id="f-\w+" name="(\w+)".*?</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', m.group(0))
        values[m.group(1)] = html.unescape(chosen.group(1)) if chosen else ""
    values["consent"] = re.findall(r'name="consent" value="(\w+)" checked', page)
    return values


def open_form(stack, declaration_url: str, programme: str = "SPOTICAR",
              garantisseur: str = "stellantis") -> tuple[httpx.Client, str, dict]:
    """Follow the DMS link, pass page 1/3; (browser-like client, form URL, pre-filled values)."""
    browser = httpx.Client(verify=tls_context(), follow_redirects=True, timeout=20)
    page = browser.get(declaration_url)
    token = CSRF_RE.search(page.text).group(1)
    page = browser.post(str(page.url), data={"csrf_token": token, "programme": programme,
                                             "garantisseur": garantisseur})
    assert page.url.path.endswith("/formulaire"), page.text
    return browser, str(page.url), form_values(page.text)



def refused_on_form(stack, handoff: dict, **changes) -> tuple[str, dict]:
    """Hand ``handoff`` off, then send its form 2/3 with ``changes``: the form must refuse it (422)
    and the declaration stay pending. The page as a user reads it (entities unescaped) and the values
    the form showed first."""
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=handoff).json()
        browser, url, values = open_form(stack, receipt["declaration_url"])
        refused = browser.post(url, data={**values, **changes})
        assert refused.status_code == 422, refused.text[:300]
        assert api.get(f"/api/v1/declarations/{receipt['bdc_number']}").json()["status"] == "pending"
    return html.unescape(refused.text), values
