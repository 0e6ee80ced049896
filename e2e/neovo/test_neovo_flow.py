"""NeoVO in a browser: the dossier of the seed; Garantir on a dossier of the test's own → DECLARATION
VENTE SPOTICAR page 1 with both fields chosen by hand → confirmations → contract on the dossier and at
Icare; Chrome only."""
from __future__ import annotations

import datetime as dt

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.dms_support import expect_both_confirmations
from e2e.flows import search_portal_as_dealer
from e2e.pages.centralisateur import ChooseGarantiePage, DeclarationFormPage
from e2e.pages.neovo import DossierPage
from harness.testing import create, icare_contract, record
from simulators.neovo.browser import CHROME_MESSAGE

pytestmark = pytest.mark.neovo

LINKS = ["Retour", "MENU", "Facture", "Avoir", "Fac_Comp", "Proforma", "Dénonciation", "Visualisation",
         "Facturation"]


def test_dossier_page_shows_the_seeds_dossier(page: Page, stack):
    dossier = DossierPage(page, stack.url("neovo")).open("V0000004")
    expect(dossier.heading).to_have_text("VINVOPEU Dossier n°V0000004")
    expect(dossier.sale).to_have_text("Vente - PEUGEOT 208 1.6 BlueHDi 75ch Active 5p")
    expect(dossier.pieces.get_by_role("columnheader")).to_have_text(
        ["Action", "Date", "N° Pièce", "Client", "H.T.", "T.V.A", "T.T.C"])
    expect(dossier.pieces.get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        ["Retour", dt.date.today().strftime("%d/%m/%Y"), "600349", "ZAWADZKI VINCENT - 621239", "16176,50", "0,00", "16176,50"])
    for name in LINKS:
        expect(dossier.link(name)).to_be_visible()
    expect(dossier.garantir_button).to_be_enabled()
    expect(page.get_by_text(CHROME_MESSAGE)).to_have_count(0)
    dossier.open_link("Facture")
    expect(page.get_by_role("heading", level=1)).to_have_text("Facture – Dossier n°V0000004")


def test_garantir_needs_both_fields_chosen_by_hand_then_ends_with_the_contract(page: Page, stack, factory):
    base = stack.url("neovo")
    # a dossier of the test's own at the seed's site: the seed's V0000004 stays undeclared for the next run
    made = create(stack, "neovo", "/dossiers", {"rrdi": "038421N", "seed": factory.rng.randint(1, 10**9)})
    dossier = DossierPage(page, base).open(made["number"])
    dossier.garantir()
    expect(page).to_have_url(re.compile(re.escape(stack.url("centralisateur"))))
    choose = ChooseGarantiePage(page)
    expect(choose.npo).to_have_value("")
    expect(choose.garantie).to_have_value("")
    choose.next.click()
    expect(choose.errors).to_contain_text("Veuillez sélectionner la déclaration de la vente Nouvelle "
                                          "Prestation Obligatoire.")
    expect(choose.errors).to_contain_text("Veuillez sélectionner la garantie commerciale Spoticar.")
    choose.choose(npo="Spoticar", garantie=None)
    expect(choose.errors).to_contain_text("Veuillez sélectionner la garantie commerciale Spoticar.")
    expect(choose.npo).to_have_value("SPOTICAR")  # the first choice is kept
    choose.choose(npo=None, garantie="Garantie SPOTICAR Stellantis")

    form = DeclarationFormPage(page)
    expect(form.bdc_number).to_contain_text("SP038421N")
    expect(form.field("Nom*")).to_have_value(made["customer"]["last_name"])
    form.declare()
    contract_number = expect_both_confirmations(page, "038421N")

    dossier.open(made["number"])
    expect(dossier.contract_number).to_have_text(contract_number)
    expect(dossier.status).to_have_text("Déclarée")
    stored = record(stack, "neovo", f"/dossiers/{made['number']}")
    assert stored["contract_number"] == contract_number
    plate = stored["plate"]
    contract = icare_contract(stack, contract_number)
    assert contract is not None and contract["vehicle"]["plate"] == plate
    portal = search_portal_as_dealer(page, stack, "038421N", factory, plate)
    expect(portal.results.filter(has_text=contract_number)).to_have_count(1)
    expect(portal.results.filter(has_text=contract_number)).to_contain_text(made["customer"]["last_name"], ignore_case=True)
