"""Bee2link in a browser: pipeline, vehicle card, Services externes → Déclaration SPOTICAR →
centralisateur (new window) → both confirmations → contract on the order and at Icare."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.dms_support import declare_new_bee2link_order, expect_both_confirmations
from e2e.flows import search_portal_as_dealer
from e2e.pages.bee2link import OrderPage, PipelinePage, VehicleCardPage
from e2e.pages.centralisateur import ChooseGarantiePage, ConfirmationPage, DeclarationFormPage
from common.formats import euros
from harness.testing import create, icare_contract, icare_contracts, record, run_due_jobs

pytestmark = pytest.mark.bee2link


def test_declaration_spoticar_from_the_delivery_page_ends_with_the_contract(page: Page, stack, factory):
    base = stack.url("bee2link")
    pipeline = PipelinePage(page, base).open("livraison")
    pipeline.open_vehicle("DS DS4 BlueHDI 120 S&S BVM6 Chic")  # the seed's DS4 and its order, as the deck shows
    card = VehicleCardPage(page, base)
    expect(card.order_button).to_have_text("Commande n°4586 - 10 241,00 €")
    for section in (card.financing, card.history, card.comments, card.documents):
        expect(section).to_be_visible()
    # The order declared is one of the test's own at the same site: the seed's stays as the deck shows it.
    order = create(stack, "bee2link", "/orders", {"rrdi": "020319L", "seed": factory.rng.randint(1, 10**9)})
    number, vehicle = order["number"], order["vehicle"]
    heading = f"Commande n°{number} - {euros(order['price_ttc'])}"
    card.open(vehicle["id"])
    expect(card.order_button).to_have_text(heading)
    cds = card.declare_from_delivery_page()

    expect(cds).to_have_url(re.compile(re.escape(stack.url("centralisateur"))))
    ChooseGarantiePage(cds).next.click()  # Bee2link's hand-off pre-selects both fields
    form = DeclarationFormPage(cds)
    expect(form.bdc_number).to_contain_text("SP020319L")
    expect(form.field("Immatriculation*")).to_have_value(vehicle["plate"])
    form.declare()
    contract_number = expect_both_confirmations(cds, "020319L")

    card.open_order()
    order_page = OrderPage(page, base)
    expect(order_page.heading).to_have_text(heading)
    expect(order_page.contract_number).to_have_text(contract_number)
    expect(order_page.status).to_have_text("Déclarée")
    assert record(stack, "bee2link", f"/orders/{number}")["contract_number"] == contract_number
    contract = icare_contract(stack, contract_number)
    assert contract is not None and contract["vehicle"]["plate"] == vehicle["plate"]
    portal = search_portal_as_dealer(cds, stack, "020319L", factory, contract_number)
    expect(portal.results).to_have_count(1)
    expect(portal.results.first).to_contain_text(vehicle["plate"])


def test_moving_a_vehicle_moves_the_pipeline_counts(page: Page, stack, factory):
    base = stack.url("bee2link")
    # the vehicle moved is one of the test's own: the seeded Préparation stage keeps its vehicles
    moved = create(stack, "bee2link", "/vehicles", {"rrdi": "020319L", "stage": "preparation",
                                                    "seed": factory.rng.randint(1, 10**9)})
    pipeline = PipelinePage(page, base).open("preparation")
    before_prep = pipeline.count("preparation").inner_text()
    before_dispo = pipeline.count("disponible").inner_text()
    prep_total = int(re.search(r"\((\d+)\)", before_prep).group(1))
    dispo_total = int(re.search(r"\((\d+)\)", before_dispo).group(1))
    pipeline.vehicles.get_by_role("row").filter(has_text=moved["plate"]).get_by_role("link").click()
    card = VehicleCardPage(page, base)
    expect(card.stage).to_have_text("Préparation")
    card.move_to("Disponible à la vente")
    expect(card.stage).to_have_text("Disponible à la vente")
    expect(card.history).to_contain_text("Passage de Préparation à Disponible à la vente")
    expect(pipeline.count("preparation")).to_have_text(re.compile(rf"\({prep_total - 1}\)$"))
    expect(pipeline.count("disponible")).to_have_text(re.compile(rf"^\d+\({dispo_total + 1}\)$"))
    card.move_to_next_stage()
    expect(card.stage).to_have_text("Livraison")
    expect(pipeline.count("disponible")).to_have_text(re.compile(rf"^\d+\({dispo_total}\)$"))


def test_comment_is_shown_as_text(page: Page, stack, factory):
    base = stack.url("bee2link")
    # a vehicle of the test's own: the seeded ones keep their comments as seeded
    vehicle = create(stack, "bee2link", "/vehicles", {"rrdi": "020319L", "stage": "sortie",
                                                      "seed": factory.rng.randint(1, 10**9)})
    card = VehicleCardPage(page, base).open(vehicle["id"])
    note = f"<b>{factory.fake.sentence()}</b>"
    card.add_comment(note)
    expect(card.comments).to_contain_text(note)


def test_declaring_the_same_order_again_opens_the_same_declaration(page: Page, stack, factory):
    order, cds, card = declare_new_bee2link_order(page, stack, factory)
    vehicle = order["vehicle"]
    contract_number = expect_both_confirmations(cds, "020319L")
    cds.close()
    # The centralisateur's signed callback alone (no page of ours shown since) recorded the contract.
    def recorded() -> str | None:
        return record(stack, "bee2link", f"/orders/{order['number']}")["contract_number"]
    run_due_jobs(stack, until=recorded)
    assert recorded() == contract_number

    again = card.declare_spoticar()  # a second click, later: nothing is declared twice
    contract_again = expect_both_confirmations(again, "020319L")
    assert contract_again == contract_number
    assert [c["contract_number"] for c in icare_contracts(stack, plate=vehicle["plate"])] == [contract_number]


def test_cirano_dealer_declares_without_an_icare_contract(page: Page, stack, factory):
    """013250C works with Garantie Cirano: declared, and no contract number to wait for."""
    base = stack.url("bee2link")
    order = create(stack, "bee2link", "/orders", {"rrdi": "013250C", "seed": factory.rng.randint(1, 10**6)})
    pipeline = PipelinePage(page, base).open("livraison")
    pipeline.choose_site("013250C – MARSEILLE PRADO AUTOS DEMO")
    pipeline.vehicles.get_by_role("row").filter(has_text=order["vehicle"]["plate"]).get_by_role("link").click()
    card = VehicleCardPage(page, base)
    cds = card.declare_from_delivery_page()
    choose = ChooseGarantiePage(cds)
    expect(choose.garantie).to_have_value("cirano")
    choose.next.click()
    DeclarationFormPage(cds).declare()
    expect(ConfirmationPage(cds).messages).to_contain_text([
        re.compile(r"Votre demande a été effectuée avec succès \(numéro de bon de commande : N° SP013250C\d{9}\)"),
        "[Garantie Cirano] La déclaration a bien été enregistrée pour votre identifiant Cirano RS8010004 "
        "(pas de contrat Icare)."])
    card.open_order()
    order = OrderPage(page, base)
    expect(order.status).to_have_text("Déclarée")
    expect(order.garantisseur).to_have_text("Garantie Cirano")
    expect(order.contract_number).to_have_count(0)
