"""The link a DMS opens: a dealer whose Profil is configured lands on 1/3 in one redirect; a dealer's
first declaration still passes by Profil."""
from __future__ import annotations

import httpx
import pytest

from harness.testing import new_dealer
from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import api_client

pytestmark = pytest.mark.centralisateur


def _open_link(stack, factory, configured: bool) -> tuple[str, httpx.Response, httpx.Response]:
    dealer = new_dealer(stack, factory, profile_configured=configured, use_stellantis=True)
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=factory.handoff(rrdi=dealer["rrdi"])).json()
    with httpx.Client(verify=tls_context(), timeout=20) as browser:
        first = browser.get(receipt["declaration_url"])
        landed = browser.get(first.next_request.url, follow_redirects=True) if first.is_redirect else first
    return receipt["bdc_number"], first, landed


def test_a_configured_dealer_lands_on_page_1_in_one_redirect(stack, factory):
    bdc, first, landed = _open_link(stack, factory, configured=True)
    assert first.status_code == 302
    assert first.headers["Location"].endswith(f"/declarations/{bdc}/garantie")
    assert landed.status_code == 200 and "Page Suivante" in landed.text and not landed.history


def test_a_first_declaration_still_passes_by_profil(stack, factory):
    bdc, first, landed = _open_link(stack, factory, configured=False)
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/declarations/{bdc}")
    assert "Lors de votre 1ère déclaration, veuillez configurer les garantisseurs" in landed.text
