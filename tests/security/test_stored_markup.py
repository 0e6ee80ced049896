"""Stored XSS through the hand-off API: every free text a DMS may send (customer's names, address,
birth place, vehicle model and version, seller, origin) carrying markup is shown again, escaped, on
every page the dealer opens for that sale — Accueil, the declaration's pages and form 2/3, the RGPD
search, the exchanges page — and, once declared, on Icare's contract pages."""
from __future__ import annotations

import re

import httpx
import pytest

from harness.testing import run_due_jobs
from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE, api_client, form_values, login
from tests.security.test_csrf_and_fixation import _password

pytestmark = pytest.mark.centralisateur

MARKUP = '"><img src=x onerror=alert(7)>'
RAW = re.compile(r"<img src=x onerror=alert\(7\)>")
FREE_TEXTS = {"customer": ("last_name", "first_name", "address", "address2", "city", "birth_place"),
              "vehicle": ("model", "version")}


def _no_raw_markup(page: httpx.Response) -> None:
    assert page.status_code < 500, (page.url, page.status_code)
    assert not RAW.search(page.text), f"{page.url}: markup shown as is"


def test_markup_sent_by_a_dms_is_shown_escaped_everywhere(stack, factory):
    handoff = factory.handoff()
    last_name = handoff["customer"]["last_name"]
    for section, names in FREE_TEXTS.items():
        for name in names:
            handoff[section][name] = f"{handoff[section][name] or 'X'}{MARKUP}"
    handoff["seller"] = f"Vendeur {MARKUP}"
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=handoff)
    assert receipt.status_code == 201, receipt.text
    bdc = receipt.json()["bdc_number"]
    dealer = login(stack)
    pages = [dealer.get("/"), dealer.get("/rgpd", params={"recherche": last_name})]
    choose = dealer.get(f"/declarations/{bdc}/garantie")
    form = dealer.post(str(choose.url), data={"csrf_token": CSRF_RE.search(choose.text).group(1),
                                              "programme": "SPOTICAR", "garantisseur": "stellantis"})
    assert form.url.path.endswith("/formulaire")
    # declared as is: accepted, or refused with the names shown again — escaped either way
    declared = dealer.post(str(form.url), data=form_values(form.text))
    pages += [choose, form, declared, dealer.get(f"/declarations/{bdc}/echanges")]
    for page in pages:
        _no_raw_markup(page)
    assert declared.url.path.endswith("/confirmation")
    shown = [page.url.path for page in pages if "onerror=alert(7)" in page.text]  # the text is there, escaped
    assert len(shown) >= 3, shown
    run_due_jobs(stack)  # the contract is at Icare now
    browser = httpx.Client(verify=tls_context(), base_url=stack.url("icare"), timeout=20)
    try:
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        browser.post("/connexion", data={"csrf_token": token, "email": "garantie.vo@axilog-demo.example.fr",
                                         "password": _password(stack, "icare")})
        listed = browser.get("/contrats", params={"filtre": handoff["vehicle"]["plate"]})
        _no_raw_markup(listed)
        numbers = set(re.findall(r"/contrats/(\d{11})", listed.text))
        assert numbers, "no contract at Icare"
        for number in numbers:
            contract = browser.get(f"/contrats/{number}")
            _no_raw_markup(contract)
            assert "onerror=alert(7)" in contract.text
    finally:
        browser.close()
