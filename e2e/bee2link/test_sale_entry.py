"""Bee2link in a browser: a sale typed in « Saisie d'une vente VO » (vehicle, customer with état civil
and consent, order) reaches the centralisateur's form 2/3 pre-filled, nothing left to complete."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.bee2link import SaleEntryPage, VehicleCardPage
from e2e.pages.centralisateur import ChooseGarantiePage, DeclarationFormPage

pytestmark = pytest.mark.bee2link


def _fr(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def test_a_sale_typed_in_prefills_the_declaration(page: Page, stack, factory):
    v, c = factory.vehicle(brand="PEUGEOT"), factory.customer()
    entry = SaleEntryPage(page, stack.url("bee2link")).open()
    today = dt.date.today().strftime("%d/%m/%Y")
    texts = {"Immatriculation": v["plate"], "VIN": v["vin"], "Marque": v["brand"], "Modèle": v["model"],
             "Version": v["version"], "Date de 1re mise en circulation": _fr(v["first_registration"]),
             "Puissance DIN (ch)": str(v["din_power"]), "Puissance fiscale (CV)": str(v["fiscal_power"]),
             "Puissance (kW)": str(v["kw_power"]), "Kilométrage": str(v["mileage_km"]),
             "PTAC (kg)": str(v["ptac_kg"]), "Nom": c["last_name"], "Prénom": c["first_name"],
             "Date de naissance": _fr(c["birth_date"]), "Lieu de naissance": c["birth_place"],
             "Pays de naissance": c["birth_country"], "Nationalité": c["nationality"],
             "Pays de résidence": c["residence_country"], "Email": c["email"], "Téléphone portable": c["mobile"],
             "Adresse": c["address"], "Code postal": c["postcode"], "Ville": c["city"], "Vendeur": "Hakim AB",
             "Date de vente": today, "Date de livraison": today, "Prix de vente TTC": "15 000,00"}
    for label, value in texts.items():
        entry.text(label).fill(value)
    for label, value in {"Énergie": v["energy"], "Civilité": c["civility"], "Origine de la vente": "Achat marchand",
                         "Niveau de garantie": "Spoticar-Premium 12 Mois"}.items():
        entry.choice(label).select_option(value)
    entry.consent("SMS").check()
    entry.save.click()

    card = VehicleCardPage(page)
    card.open_external_services()
    cds = card.declare_spoticar()
    ChooseGarantiePage(cds).next.click()
    form = DeclarationFormPage(cds)
    expect(form.field("Immatriculation*")).to_have_value(v["plate"])
    expect(form.field("Lieu de Naissance*")).to_have_value(c["birth_place"])
    expect(form.field("Nationalité*")).to_have_value(c["nationality"])
    expect(form.field("Origine de la vente*")).to_have_value("Achat marchand")
