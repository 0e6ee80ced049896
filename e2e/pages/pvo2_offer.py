"""Page objects of PVO2's offer sub-screens (seed 002): Ajouter un véhicule à reprendre, and the
Client (Modifiez) / Co-titulaire (Ajoutez) forms. No assertions here."""
from __future__ import annotations

from playwright.sync_api import Page

from e2e.pages.pvo2 import Pvo2Page


class TradeInPage(Pvo2Page):
    """Ajouter un véhicule à reprendre: the customer's vehicle and its Valeur de reprise (TTC)."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.plate = page.get_by_label("Immatriculation *")
        self.brand = page.get_by_label("Marque *")
        self.model = page.get_by_label("Modèle *")
        self.first_registration = page.get_by_label("Date de MEC")
        self.mileage = page.get_by_label("Kilométrage *")
        self.value = page.get_by_label("Valeur de reprise (TTC) *")
        self.submit = page.get_by_role("button", name="Ajouter la reprise")

    def add(self, plate: str, brand: str, model: str, mileage: str, value: str, first_registration: str = "") -> None:
        self.plate.fill(plate)
        self.brand.fill(brand)
        self.model.fill(model)
        self.first_registration.fill(first_registration)
        self.mileage.fill(mileage)
        self.value.fill(value)
        self.submit.click()


class PersonFormPage(Pvo2Page):
    """Client (Modifiez) or Co-titulaire (Ajoutez): a person's identity, then Enregistrer."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.civility = page.get_by_label("Civilité *")
        self.last_name = page.get_by_label("Nom *", exact=True)
        self.first_name = page.get_by_label("Prénom *")
        self.email = page.get_by_role("textbox", name="Email")  # the consent has an « Email » box too
        self.birth_date = page.get_by_label("Date de naissance")
        self.save_button = page.get_by_role("button", name="Enregistrer")

    def save(self) -> None:
        self.save_button.click()

    def fill_person(self, person: dict, civility: str = "MME") -> None:
        """Identity of a factory ``customer()`` dict (co-titulaire)."""
        self.civility.select_option(civility)
        self.last_name.fill(person["last_name"])
        self.first_name.fill(person["first_name"])
