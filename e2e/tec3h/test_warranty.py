"""Garantie Spoticar in a browser: required fields, each eligibility refusal of the centralisateur,
and a centralisateur that does not answer — a clear message, nothing lost, retry possible."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.tec3h import WarrantyFormPage, WarrantyTabPage

pytestmark = pytest.mark.tec3h


def _warranty_form(page: Page, tec3h_url: str, sold_vehicle: dict) -> WarrantyFormPage:
    page.goto(f"{tec3h_url}/vehicules/{sold_vehicle['vehicle_id']}/garantie")
    WarrantyTabPage(page).new_spoticar_warranty()
    form = WarrantyFormPage(page)
    expect(form.field("Immatriculation")).to_have_value(sold_vehicle["plate"])
    return form


def test_required_fields_are_enforced_with_values_kept(page: Page, tec3h_url, sold_vehicle):
    form = _warranty_form(page, tec3h_url, sold_vehicle)
    form.fill(**{"Nom": "", "Immatriculation": "", "Kilométrage": "", "Profession": "Boulanger"})
    form.send()
    expect(form.errors.get_by_role("listitem")).to_have_text([
        "Le champ Nom est obligatoire.", "Le champ Immatriculation est obligatoire.",
        "Le champ Kilométrage est obligatoire."])
    for label in ("Nom", "Immatriculation", "Kilométrage"):
        expect(form.field(label)).to_have_attribute("aria-invalid", "true")
    expect(form.field("Prénom")).not_to_have_attribute("aria-invalid", "true")
    expect(form.field("Profession")).to_have_value("Boulanger")
    expect(form.field("VIN")).to_have_value(sold_vehicle["vin"])


@pytest.mark.parametrize("label, value, message", [
    ("Marque", "TATA", "Véhicule non éligible : la marque TATA ne fait pas partie des marques admises"),
    ("Puissance DIN", "801", "Véhicule non éligible : la puissance de 801 ch DIN dépasse la puissance maximale"),
    ("Usage du véhicule", "taxi",
     "Véhicule non éligible : les véhicules utilisés, même temporairement, comme taxi"),
])
def test_each_refusal_is_shown_on_the_form_and_can_be_corrected(page: Page, tec3h_url, sold_vehicle,
                                                                label, value, message):
    form = _warranty_form(page, tec3h_url, sold_vehicle)
    original = form.field(label).input_value()
    if label == "Usage du véhicule":
        form.select(label, value)
    else:
        form.fill(**{label: value})
    form.send()
    expect(form.errors).to_contain_text("Déclaration refusée par le centralisateur")
    expect(form.errors).to_contain_text(message)
    expect(form.field(label)).to_have_attribute("aria-invalid", "true")
    expect(form.field(label)).to_have_value(value)
    expect(form.field("Immatriculation")).to_have_value(sold_vehicle["plate"])
    if label == "Usage du véhicule":
        form.field(label).select_option(original)
    else:
        form.fill(**{label: original})
    form.send()
    tab = WarrantyTabPage(page)
    expect(tab.status).to_have_text("Transmise : déclaration à finaliser sur le centralisateur")
    expect(tab.open_declaration_link).to_be_visible()


def test_centralisateur_down_then_retry(page: Page, tec3h_url, sold_vehicle, centralisateur_down):
    form = _warranty_form(page, tec3h_url, sold_vehicle)
    form.fill(**{"Profession": "Boulanger"})
    form.send()
    tab = WarrantyTabPage(page)
    expect(tab.error).to_contain_text("Le centralisateur Spoticar ne répond pas : la déclaration n'a pas été "
                                      "transmise, réessayez dans quelques instants.")
    expect(tab.status).to_have_text("Non transmise (centralisateur indisponible)")
    page.get_by_role("link", name="Modifier les informations").click()
    expect(form.field("Profession")).to_have_value("Boulanger")  # nothing lost
    page.go_back()
    centralisateur_down.end()
    tab.retry()
    expect(tab.status).to_have_text("Transmise : déclaration à finaliser sur le centralisateur")
    expect(tab.open_declaration_link).to_be_visible()
