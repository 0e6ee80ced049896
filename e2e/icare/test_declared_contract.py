"""A sale declared through the centralisateur (hand-off API + declaration UI) is found in the
Services.Spoticar portal by plate and by contract number."""
from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from e2e.pages.centralisateur import ChooseGarantiePage, ConfirmationPage, DeclarationFormPage
from e2e.pages.icare import IcareLoginPage, PortalPage
from fixtures import reference

pytestmark = pytest.mark.icare


def test_declared_contract_is_found_in_the_portal(page: Page, stack, factory):
    payload = factory.handoff(rrdi="953617Z", source_dms="tec3h")
    response = httpx.post(stack.url("centralisateur") + "/api/v1/handoffs", json=payload, timeout=20,
                          headers={"Authorization": f"Bearer {stack.credentials.dms_key('tec3h')}"})
    assert response.status_code == 201, response.text
    page.goto(response.json()["declaration_url"])
    ChooseGarantiePage(page).choose()
    DeclarationFormPage(page).declare()
    confirmation = ConfirmationPage(page)
    expect(confirmation.contract).to_contain_text("numéro de contrat")
    number = re.search(r"numéro de contrat : ([0-9]{11})", confirmation.contract.inner_text()).group(1)

    login = IcareLoginPage(page, stack.url("icare")).open()
    login.login(reference.demo_dealer("953617Z")["convention_email"], stack.credentials.icare_password)
    portal = PortalPage(page)
    portal.search(payload["vehicle"]["plate"])
    expect(portal.results).to_have_count(1)
    expect(portal.results.first).to_contain_text(number)
    portal.search(number)
    expect(portal.results).to_have_count(1)
    expect(portal.results.first).to_contain_text(payload["vehicle"]["plate"])
    expect(portal.results.first).to_contain_text(payload["customer"]["last_name"])
