"""Garantie Spoticar in a browser: required fields marked, values kept. The variants (each refusal of
the centralisateur, a centralisateur that does not answer) are test-client tests in ``tests/tec3h``."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.tec3h_warranty import WarrantyFormPage, WarrantyTabPage

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
