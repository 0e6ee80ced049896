"""PVO2 in a real browser: offer → bon de commande → Clôturer → Déclarer → centralisateur → contract
number back on the PVO2 order; each refusal path; the order PDF; PSA Insurance."""
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from e2e.flows import search_portal_as_dealer
from e2e.pages.centralisateur import ConfirmationPage
from e2e.pages.pvo2 import (
    DeliveriesPage,
    NewOfferPage,
    OfferPage,
    OffersPage,
    OrderPage,
    PrintDocumentsPage,
    SiteIdentityPage,
    VehicleCardPage,
)
from e2e.pvo2.conftest import complete_declaration, enter_order, reload_until_visible
from harness.testing import create, icare_contracts

pytestmark = pytest.mark.pvo2

ATTENTION = ("Attention : Il est indispensable de sélectionner sur la fiche du véhicule le Label Spoticar "
             "ou DS Certified et le niveau de garantie souhaitée.")


def test_offer_to_contract_number_on_the_pvo2_order(page: Page, stack, pvo2_url, new_order, factory,
                                                    stock_vehicle):
    plate = stock_vehicle()["plate"]
    order, customer, number = new_order(plate)
    popup = order.declare()
    form = complete_declaration(popup, customer)
    expect(form.bdc_number).to_have_text(re.compile(r"^SPFR10350[0-9]{9}$"))
    expect(form.field("Immatriculation*")).to_have_value(plate)
    expect(form.field("Nom*")).to_have_value(customer["last_name"])
    form.declare()
    confirmation = ConfirmationPage(popup)
    expect(confirmation.success).to_have_text(re.compile(
        r"^Votre demande a été effectuée avec succès \(numéro de bon de commande : N° SPFR10350[0-9]{9}\)$"))
    bdc = re.search(r"SPFR10350[0-9]{9}", confirmation.success.inner_text()).group(0)
    expect(confirmation.contract).to_have_text(re.compile(
        r"^\[Garantie SPOTICAR Stellantis\] La création a bien été effectuée \(numéro de contrat : [0-9]{11}\)$"))
    contract = re.search(r"[0-9]{11}", confirmation.contract.inner_text()).group(0)
    [icare] = icare_contracts(stack, bdc_number=bdc)
    assert icare["contract_number"] == contract and icare["vehicle"]["plate"] == plate
    assert icare["customer"]["last_name"] == customer["last_name"]
    # The Livraisons list never polls: the contract number there came from the signed callback.
    deliveries = DeliveriesPage(page, pvo2_url).open()
    reload_until_visible(page, deliveries.order_card(number).get_by_text(f"contrat n° {contract}"))
    order.open(number)
    expect(order.contract_number).to_have_text(f"Numéro de contrat : {contract}")
    expect(order.declaration_status).to_contain_text(bdc)
    expect(order.declare_button).to_have_count(0)
    portal = search_portal_as_dealer(popup, stack, "FR10350", factory, plate)
    expect(portal.results.filter(has_text=contract)).to_have_count(1)


def test_declaring_without_rrdi_says_where_to_fill_it(page: Page, own_pvo2, factory):
    # the Code RRDI belongs to the whole instance: emptied on a PVO2 of the test's own
    pvo2_url = own_pvo2.url("pvo2")
    plate = create(own_pvo2, "pvo2", "/vehicles", {"seed": factory.rng.randint(1, 10**9)})["plate"]
    order, number = enter_order(page, pvo2_url, factory.customer(), plate)
    site = SiteIdentityPage(page, pvo2_url).open()
    site.set_rrdi("")
    expect(site.messages).to_have_text("Fiche d'identité du site enregistrée.")
    expect(site.rrdi).to_have_value("")
    order.open(number)
    popup = order.declare()
    expect(popup.get_by_role("alert")).to_contain_text(
        "le code RRDI Spoticar du site n'est pas renseigné. Renseignez-le dans Paramètres → "
        "Fiche d'identité du site")
    popup.close()
    order.open(number)
    expect(order.declaration_status).to_be_hidden()  # nothing declared: the follow-up box stays hidden
    expect(order.declare_button).to_be_visible()


def test_generating_the_bdc_without_label_is_refused_until_the_card_has_one(page: Page, pvo2_url, factory,
                                                                            stock_vehicle):
    unlabelled = stock_vehicle(label="", warranty_level="")["plate"]
    OffersPage(page, pvo2_url).open().create_offer()
    NewOfferPage(page, pvo2_url).create(factory.customer(), unlabelled)
    offer = OfferPage(page, pvo2_url)
    offer.generate_bdc()
    expect(offer.errors).to_have_text(ATTENTION)
    expect(offer.heading).to_be_visible()
    number = offer.number()
    offer.open_vehicle_card()
    card = VehicleCardPage(page, pvo2_url)
    card.set_label("SPOTICAR", "Spoticar-Essential 6 mois")
    expect(card.messages).to_have_text("Fiche véhicule enregistrée.")
    page.goto(f"{pvo2_url}/offres/{number}")
    OfferPage(page, pvo2_url).generate_bdc()
    expect(OrderPage(page, pvo2_url).heading).to_have_text(f"Commande N° {number}")


def test_ineligible_vehicle_is_reported_back_and_the_order_is_unchanged(page: Page, pvo2_url, new_order,
                                                                       stock_vehicle):
    order, _, number = new_order(stock_vehicle(provenance="Ex-Taxi")["plate"])  # like the seed stock's FT-718-KR
    popup = order.declare()
    alert = popup.get_by_role("alert")
    expect(alert).to_contain_text("Déclaration refusée par le centralisateur")
    expect(alert).to_contain_text("les véhicules utilisés, même temporairement, comme taxi sont exclus")
    popup.close()
    page.reload()
    expect(order.declaration_status).to_be_hidden()  # nothing declared: the follow-up box stays hidden
    expect(order.declare_button).to_be_visible()
    # Ready to retry: once the card is corrected, the same order is handed off.
    page.get_by_role("link", name="Fiche du véhicule").click()
    VehicleCardPage(page, pvo2_url).set_provenance("Particulier")
    popup = order.open(number).declare()
    expect(popup.get_by_role("button", name="Page Suivante")).to_be_visible()
    popup.close()


def test_order_pdf_holds_the_seed_sections(page: Page, pvo2_url: str, new_order, stock_vehicle):
    vehicle = stock_vehicle(price_ttc=21900, warranty_level="Spoticar-Premium 12 Mois")
    order, customer, number = new_order(vehicle["plate"])
    order.print_order()
    printing = PrintDocumentsPage(page, pvo2_url)
    expect(printing.field("Bon de commande à particulier SPOTICAR-PEUGEOT")).to_be_checked()
    printing.choose("Bon de commande à particulier SPOTICAR-PEUGEOT")
    download = printing.print_pdf(warranty_number="GAR-0001")
    assert download.suggested_filename == f"bon-de-commande-{number}.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download.path(), "rb").read())).pages)
    for expected in ("SPOTiCAR PEUGEOT", "Bon de commande d'un véhicule", "Spoticar-Premium 12 Mois",
                     "Avec une garantie commerciale d'une durée de 12 mois - N° GAR-0001",
                     "CONCESSIONNAIRE/REPARATEUR AGREE/AGENT", "L'ARGUS", "CLIENT", "VEHICULE",
                     customer["last_name"], vehicle["plate"], vehicle["vin"], "Hakim AB", str(number),
                     "21 900,00 € T.T.C.", "Observations"):
        assert expected in text, expected


def test_psa_insurance_shows_the_policy_number(page: Page, stack, pvo2_url, new_order, stock_vehicle):
    order, _, number = new_order(stock_vehicle()["plate"])
    order.declare_here("Déclaration PSA Insurance")
    expect(order.messages).to_contain_text("Déclaration PSA Insurance effectuée (numéro de police : PA")
    expect(order.policy_number).to_have_text(re.compile(r"^PSA Insurance — numéro de police : PA[0-9]{10}$"))
