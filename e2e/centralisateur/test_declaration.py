"""The declaration in a real browser: hand-off → 1/3 → 2/3 → 3/3, validation, PDFs, escaping."""
from __future__ import annotations

import datetime as dt

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.centralisateur.conftest import pdf_text
from e2e.pages.centralisateur import (ChooseGarantiePage, ConfirmationPage, DeclarationFormPage, LoginPage,
                                      Menu, ProfilePage)
from fixtures import reference
from harness.testing import icare_contracts

pytestmark = pytest.mark.centralisateur


def _to_form(page: Page, receipt: dict, **choice) -> DeclarationFormPage:
    page.goto(receipt["declaration_url"])
    ChooseGarantiePage(page).choose(**choice)
    form = DeclarationFormPage(page)
    expect(form.bdc_number).to_have_text(receipt["bdc_number"])
    return form


def test_handoff_declared_in_browser_shows_both_numbers(page: Page, api, factory):
    payload = factory.handoff()
    receipt = api.handoff(payload)
    form = _to_form(page, receipt)
    expect(form.field("Immatriculation*")).to_have_value(payload["vehicle"]["plate"])
    expect(form.field("Nom*")).to_have_value(payload["customer"]["last_name"])
    expect(form.field("VIN*")).to_have_value(payload["vehicle"]["vin"])
    form.declare()
    confirmation = ConfirmationPage(page)
    expect(confirmation.success).to_have_text(
        f"Votre demande a été effectuée avec succès (numéro de bon de commande : N° {receipt['bdc_number']})")
    state = api.status(receipt["bdc_number"])
    assert state["status"] == "declared" and re.fullmatch(r"[0-9]{11}", state["contract_number"])
    expect(confirmation.contract).to_have_text(
        f"[Garantie SPOTICAR Stellantis] La création a bien été effectuée "
        f"(numéro de contrat : {state['contract_number']})")
    [contract] = icare_contracts(api.stack, plate=payload["vehicle"]["plate"])
    assert contract["contract_number"] == state["contract_number"]
    assert contract["customer"]["last_name"] == payload["customer"]["last_name"]


def test_declaration_rejects_missing_vehicle_type_and_plate(page: Page, api, factory):
    vehicle = factory.vehicle(kind=None, plate=None)
    receipt = api.handoff(factory.handoff(vehicle=vehicle))
    form = _to_form(page, receipt)
    form.fill(**{"Type carte grise": "CI-2024-TEST", "Tel. Mobile": "0611223344"})
    form.declare()
    expect(form.errors.get_by_role("listitem")).to_have_text([
        "Le champ type véhicule est obligatoire", "Le champ immatriculation est obligatoire"])
    for label in ("Type véhicule*", "Immatriculation*"):
        expect(form.field(label)).to_have_attribute("aria-invalid", "true")
    expect(form.field("Marque*")).not_to_have_attribute("aria-invalid", "true")
    expect(form.field("Type carte grise")).to_have_value("CI-2024-TEST")
    expect(form.field("Tel. Mobile")).to_have_value("0611223344")
    expect(form.field("VIN*")).to_have_value(vehicle["vin"])
    assert api.status(receipt["bdc_number"])["status"] == "pending"
    form.select("Type véhicule*", "VP")
    plate = factory.plate()  # the test's own: a contract of an earlier run on this stack is not this one
    form.fill(**{"Immatriculation*": plate.lower()})
    form.declare()
    expect(ConfirmationPage(page).contract).to_be_visible()
    assert [c["vehicle"]["vin"] for c in icare_contracts(api.stack, plate=plate)] == [vehicle["vin"]]


def test_format_and_eligibility_errors_get_their_own_lines(page: Page, api, factory):
    form = _to_form(page, api.handoff(factory.handoff()))
    form.fill(**{"Date de livraison*": "31/02/2025", "Code Postal*": "7501", "VIN*": "ABC",
                 "Immatriculation*": "AB-12-CD", "Marque*": "TATA"})
    form.declare()
    items = form.errors.get_by_role("listitem")
    for text in ("Le code postal doit comporter 5 chiffres.",
                 "Le champ date de livraison doit être une date valide au format JJ/MM/AAAA",
                 "Le VIN doit comporter exactement 17 caractères",
                 "L'immatriculation doit être au format SIV AA-123-AA"):
        expect(items.filter(has_text=text)).to_have_count(1)
    form.fill(**{"Date de livraison*": dt.date.today().strftime("%d/%m/%Y"), "Code Postal*": "75010",
                 "VIN*": "VF3216S4HXP321000", "Immatriculation*": "AA-001-AA"})
    form.declare()
    expect(items).to_have_text(["Véhicule non éligible : la marque TATA ne fait pas partie des marques "
                                "admises pour la garantie Spoticar."])
    expect(form.field("Marque*")).to_have_attribute("aria-invalid", "true")


def test_certificate_and_releve_are_real_pdfs_with_the_contract(page: Page, api, factory):
    payload = factory.handoff()
    receipt = api.handoff(payload)
    _to_form(page, receipt).declare()
    confirmation = ConfirmationPage(page)
    expect(confirmation.contract).to_be_visible()
    contract_number = api.status(receipt["bdc_number"])["contract_number"]
    certificat = confirmation.download_certificat()
    assert certificat.suggested_filename == f"certificat-souscription-{receipt['bdc_number']}.pdf"
    text = pdf_text(certificat.path())
    for expected in (contract_number, receipt["bdc_number"], payload["customer"]["last_name"].upper(),
                     payload["vehicle"]["plate"], payload["vehicle"]["vin"], "AXILOG DEMO", "SPOTICAR PREMIUM"):
        assert expected in text
    releve = pdf_text(confirmation.download_releve().path())
    for section in ("GARANTIE COMMERCIALE SPOTICAR - RELEVÉ D'INFORMATION", "DISTRIBUTEUR VENDEUR DU VEHICULE",
                    "VOS COORDONNÉES (BÉNÉFICIAIRE)", "VÉHICULE D'OCCASION GARANTI", contract_number):
        assert section in releve


def test_customer_named_script_is_shown_as_text(page: Page, api, factory):
    customer = factory.customer()
    bold = customer["last_name"]  # the test's own: Accueil also lists earlier runs' declarations
    name = f"<script>window.hacked=1</script><b>{bold}</b>"
    receipt = api.handoff(factory.handoff(customer={**customer, "last_name": name}))
    page.on("dialog", lambda dialog: pytest.fail(f"script executed: {dialog.message}"))
    form = _to_form(page, receipt)
    expect(form.field("Nom*")).to_have_value(name)
    form.declare()
    expect(ConfirmationPage(page).contract).to_be_visible()
    Menu(page).go("Accueil")  # the declaration link opened that declaration only: Accueil needs a login
    dealer = reference.demo_dealer(receipt["bdc_number"][2:9])
    login = LoginPage(page, api.stack.url("centralisateur"))
    expect(login.submit).to_be_visible()
    login.login(dealer["login"], api.stack.credentials.dealer_password(dealer["rrdi"]))
    expect(page.get_by_role("cell", name=f"{name} {customer['first_name']}")).to_be_visible()
    assert page.evaluate("window.hacked") is None
    assert page.locator("b", has_text=bold).count() == 0


def test_first_declaration_goes_to_profil_with_npo_locked(page: Page, api, factory):
    dealer = api.new_dealer(factory)
    receipt = api.handoff(factory.handoff(rrdi=dealer["rrdi"]))
    page.goto(receipt["declaration_url"])
    profile = ProfilePage(page)
    expect(profile.heading).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "Lors de votre 1ère déclaration, veuillez configurer les garantisseurs qui correspondent à votre activité.")
    expect(profile.npo).to_be_checked()
    expect(profile.npo).to_be_disabled()
    expect(page.get_by_role("row", name=re.compile("Garantie SPOTICAR Stellantis"))).to_contain_text(dealer["code_t"])
    profile.configure(stellantis=False, auto=False, cirano_id="RS80")
    expect(profile.errors).to_contain_text("identifiant Cirano")
    expect(profile.cirano_id).to_have_attribute("aria-invalid", "true")
    profile.configure(stellantis=True, auto=True, cirano_id="RS8010004")
    choose = ChooseGarantiePage(page)
    expect(choose.garantie.locator("option")).to_have_text(
        ["-- Sélectionner --", "Garantie SPOTICAR Stellantis", "Auto Garantie", "Garantie Cirano"])
    expect(choose.garantie).to_have_value("stellantis")
    Menu(page).go("Profil")  # set up through the link; changing it afterwards needs the dealer's login
    LoginPage(page, api.stack.url("centralisateur")).login(dealer["login"], dealer["password"])
    expect(profile.cirano_id).to_have_value("RS8010004")


def test_neovo_handoff_needs_both_choices_by_hand(page: Page, api, factory):
    receipt = api.handoff(factory.handoff(rrdi="038421N", source_dms="neovo"), dms="neovo")
    page.goto(receipt["declaration_url"])
    choose = ChooseGarantiePage(page)
    expect(choose.npo).to_have_value("")
    expect(choose.garantie).to_have_value("")
    choose.next.click()
    expect(choose.errors.get_by_role("listitem")).to_have_text([
        "Veuillez sélectionner la déclaration de la vente Nouvelle Prestation Obligatoire.",
        "Veuillez sélectionner la garantie commerciale Spoticar."])
    choose.choose(npo="Spoticar", garantie=None)
    expect(choose.errors).to_have_text("Veuillez sélectionner la garantie commerciale Spoticar.")
    expect(choose.npo).to_have_value("SPOTICAR")
    choose.choose(npo=None, garantie="Garantie SPOTICAR Stellantis")
    expect(DeclarationFormPage(page).declare_button).to_be_visible()


def test_double_click_back_and_resubmit_declare_once(page: Page, api, factory):
    payload = factory.handoff()
    receipt = api.handoff(payload)
    form = _to_form(page, receipt)
    form.declare_button.dblclick()
    confirmation = ConfirmationPage(page)
    expect(confirmation.contract).to_be_visible()
    page.go_back()
    if form.declare_button.is_visible():
        form.declare_button.click()
    expect(confirmation.success).to_be_visible()
    contracts = icare_contracts(api.stack, bdc_number=receipt["bdc_number"])
    assert len(contracts) == 1
    expect(confirmation.contract).to_contain_text(contracts[0]["contract_number"])


def test_auto_garantie_gets_its_own_line_and_no_contract(page: Page, api, factory):
    receipt = api.handoff(factory.handoff(rrdi="069870K", source_dms="neovo"), dms="neovo")
    form = _to_form(page, receipt, npo="Spoticar", garantie="Auto Garantie")
    form.declare()
    confirmation = ConfirmationPage(page)
    expect(confirmation.success).to_be_visible()
    expect(page.get_by_text("[Auto Garantie] La déclaration a bien été enregistrée")).to_be_visible()
    expect(confirmation.contract).to_have_count(0)
    state = api.status(receipt["bdc_number"], dms="neovo")
    assert state["status"] == "declared" and state["contract_number"] is None
    assert state["garantisseur"] == "auto"
