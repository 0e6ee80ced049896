"""Page objects of PVO2's offer sub-screens (seed 002): Ajouter un véhicule à reprendre, and the
Client (Modifiez) / Co-titulaire (Ajoutez) forms. No assertions here."""
from __future__ import annotations

from e2e.pages.pvo2 import Pvo2Page
from e2e.pages.screen import by_role, clicks, exactly


class TradeInPage(Pvo2Page):
    """Ajouter un véhicule à reprendre: the customer's vehicle and its Valeur de reprise (TTC)."""

    fields = {
        "plate": "Immatriculation *",
        "brand": "Marque *",
        "model": "Modèle *",
        "first_registration": "Date de MEC",
        "mileage": "Kilométrage *",
        "value": "Valeur de reprise (TTC) *",
    }
    submit = by_role("button", "Ajouter la reprise")

    def add(self, plate: str, brand: str, model: str, mileage: str, value: str, first_registration: str = "") -> None:
        self.fill_and_click(self.submit, plate=plate, brand=brand, model=model,
                            first_registration=first_registration, mileage=mileage, value=value)


class PersonFormPage(Pvo2Page):
    """Client (Modifiez) or Co-titulaire (Ajoutez): a person's identity, then Enregistrer."""

    fields = {
        "civility": "Civilité *",
        "last_name": exactly("Nom *"),
        "first_name": "Prénom *",
        "birth_date": "Date de naissance",
    }
    email = by_role("textbox", "Email")  # the consent has an « Email » box too
    save_button = by_role("button", "Enregistrer")

    save = clicks("save_button")

    def fill_person(self, person: dict, civility: str = "MME") -> None:
        """Identity of a factory ``customer()`` dict (co-titulaire)."""
        self.civility.select_option(civility)
        self.fill_in(last_name=person["last_name"], first_name=person["first_name"])
