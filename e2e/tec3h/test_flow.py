"""The whole Tec3H flow in a browser: vehicle from the referential, customer from the order, the
Commande, Nouvelle garantie Spoticar → Envoyer → centralisateur (new window) → Déclarer et Garantir,
then the contract number back on the Tec3H vehicle card, at Icare and in the Services.Spoticar portal."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.centralisateur import ChooseGarantiePage, ConfirmationPage, DeclarationFormPage
from e2e.pages.icare import IcareLoginPage, PortalPage
from e2e.pages.tec3h import CustomerFormPage, OrderPage, VehicleCardPage, VehicleFormPage
from e2e.pages.tec3h_warranty import WarrantyFormPage, WarrantyTabPage
from fixtures import reference
from harness.testing import icare_contracts

pytestmark = pytest.mark.tec3h


def test_vehicle_customer_order_and_declaration_end_with_the_contract_on_the_card(
        page: Page, stack, tec3h_url, factory):
    plate, vin, person = factory.plate(), factory.vin("PEUGEOT"), factory.customer()
    today = dt.date.today().strftime("%d/%m/%Y")

    vehicle_form = VehicleFormPage(page, tec3h_url).open()
    vehicle_form.fill_technical("Peugeot", "Diesel", "10/10/2018", "2018")
    vehicle_form.choose_model("308", "308 (2)")
    vehicle_form.choose_version("130 allure", "1.5 BlueHDi 130 S&S EAT8 Allure")
    expect(vehicle_form.equivalence).to_have_value("PE30800010")
    vehicle_form.fill_details(plate, vin, "45000", "17500")
    vehicle_form.save()
    card = VehicleCardPage(page)
    expect(card.heading).to_have_text("Peugeot 308 (2)")
    expect(page.get_by_role("table", name="Fiche véhicule")).to_contain_text(plate)

    card.create_offer()
    order = OrderPage(page)
    expect(order.heading).to_have_text("NOUVELLE PROPOSITION")
    order.create_customer()
    customer_form = CustomerFormPage(page)
    customer_form.fill_customer(person)
    customer_form.save()
    expect(order.customer.locator("option:checked")).to_contain_text(person["last_name"].upper())
    order.make_order(sale_date=today, delivery_date=today)
    expect(page.get_by_role("status").filter(has_text="enregistrée")).to_contain_text("Commande N°")

    card.open_warranty()
    tab = WarrantyTabPage(page)
    tab.new_spoticar_warranty()
    warranty_form = WarrantyFormPage(page)
    expect(warranty_form.heading).to_be_visible()
    expect(warranty_form.field("Immatriculation")).to_have_value(plate)
    expect(warranty_form.field("VIN")).to_have_value(vin)
    expect(warranty_form.field("Nom")).to_have_value(person["last_name"])
    expect(warranty_form.field("Date de vente")).to_have_value(today)
    warranty_form.select("Niveau de garantie", "Spoticar-Premium 12 Mois")
    centralisateur = warranty_form.send_and_open_declaration()
    expect(tab.status).to_have_text("Transmise : déclaration à finaliser sur le centralisateur")
    bdc_number = page.get_by_text(re.compile(r"^SP953617Z[0-9]{9}$")).inner_text()
    page.reload()  # the window opens once, right after Envoyer; the link stays
    expect(tab.open_declaration_link).to_have_attribute("target", "_blank")
    ChooseGarantiePage(centralisateur).choose()
    declaration = DeclarationFormPage(centralisateur)
    expect(declaration.bdc_number).to_have_text(bdc_number)
    expect(declaration.field("Immatriculation*")).to_have_value(plate)
    expect(declaration.field("Nom*")).to_have_value(person["last_name"])
    declaration.select("Origine de la vente*", "Reprise VO sur VO")
    declaration.fill(**{"Nationalité*": "France", "Date fin gtie constructeur*": "10/10/2020",
                        "Km gtie constructeur*": "999999"})
    declaration.declare()
    confirmation = ConfirmationPage(centralisateur)
    expect(confirmation.success).to_have_text(
        f"Votre demande a été effectuée avec succès (numéro de bon de commande : N° {bdc_number})")
    expect(confirmation.contract).to_have_text(re.compile(
        r"^\[Garantie SPOTICAR Stellantis\] La création a bien été effectuée "
        r"\(numéro de contrat : [0-9]{11}\)$"))
    contract_number = re.search(r"[0-9]{11}", confirmation.contract.inner_text()).group(0)

    expect(tab.contract_number).to_have_text(contract_number)  # the open Tec3H page learns it by itself
    expect(page.locator("#warranty-state")).to_have_attribute("data-following", "true")  # pushed (stream)
    page.reload()
    expect(tab.status).to_have_text("Déclarée")
    page.get_by_role("link", name="Fiche").click()
    expect(card.contract).to_have_text(f"Garantie Spoticar : contrat N° {contract_number}")
    [contract] = icare_contracts(stack, plate=plate)
    assert contract["contract_number"] == contract_number and contract["vehicle"]["vin"] == vin

    IcareLoginPage(page, stack.url("icare")).open().login(
        reference.demo_dealer("953617Z")["convention_email"], stack.credentials.icare_password)
    portal = PortalPage(page)
    portal.search(contract_number)
    expect(portal.results).to_have_count(1)
    expect(portal.results.first).to_contain_text(plate)
    expect(portal.results.first).to_contain_text(person["last_name"])
