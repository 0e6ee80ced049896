"""Réception APV in a browser: from the top menu, a declared vehicle's warranty found by its plate."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.centralisateur import (ChooseGarantiePage, ConfirmationPage, DeclarationFormPage, LoginPage, Menu,
                                      ReceptionApvPage)
from fixtures import reference

pytestmark = pytest.mark.centralisateur


def test_reception_apv_finds_the_warranty_of_a_declared_vehicle(page: Page, api, factory):
    payload = factory.handoff()
    receipt = api.handoff(payload)
    page.goto(receipt["declaration_url"])
    ChooseGarantiePage(page).choose()
    DeclarationFormPage(page).declare()
    expect(ConfirmationPage(page).contract).to_be_visible()
    Menu(page).go("Réception APV")
    dealer = reference.demo_dealer(receipt["bdc_number"][2:9])
    LoginPage(page, api.stack.url("centralisateur")).login(dealer["login"],
                                                           api.stack.credentials.dealer_password(dealer["rrdi"]))
    Menu(page).go("Réception APV")
    apv = ReceptionApvPage(page)
    apv.search(payload["vehicle"]["plate"].replace("-", "").lower())
    row = apv.results.get_by_role("row").filter(has_text=payload["vehicle"]["plate"])
    expect(row).to_contain_text(payload["customer"]["last_name"])
    expect(row).to_contain_text("Garantie en cours")
    expect(row.get_by_role("cell").first).to_have_text(re.compile(r"^[0-9]{11}$"))
    expect(apv.claim_link).to_have_attribute("href", re.compile(r"/prise-en-charge$"))
    apv.search("ZZ-999-ZZ")
    expect(apv.messages).to_have_text(
        "Aucune garantie Spoticar déclarée par votre point de vente pour « ZZ-999-ZZ ».")
