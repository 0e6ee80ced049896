"""Page objects of Tec3H's Spoticar warranty (seed 001): the vehicle card's Garantie tab and the
« Informations à valider/compléter pour la garantie » form."""
from __future__ import annotations

from playwright.sync_api import Page

from e2e.pages.centralisateur import DeclarationFormPage
from e2e.pages.screen import Screen, by_role, by_test_id, clicks


class WarrantyTabPage(Screen):
    """Vehicle card → Garantie: Nouvelle garantie Spoticar, status, numéro de bon de commande, the
    link that opens the centralisateur in a new window, Réessayer l'envoi, the contract number."""

    links = {
        "new_spoticar_link": "Nouvelle garantie Spoticar",
        "open_declaration_link": "Ouvrir la déclaration sur le centralisateur",
    }
    status = by_test_id("warranty-status")
    contract_number = by_test_id("contract-number")
    retry_button = by_role("button", "Réessayer l'envoi")

    new_spoticar_warranty = clicks("new_spoticar_link")
    retry = clicks("retry_button")

    def open_declaration(self) -> Page:
        """Click the link; the centralisateur's page opens in a new window, returned."""
        return self.opened_by(self.open_declaration_link)


class WarrantyFormPage(Screen):
    """Garantie SPOTICAR — "Informations à valider/compléter pour la garantie": Annuler, Envoyer."""

    heading = by_role("heading", "Informations à valider/compléter pour la garantie")
    cancel_link = by_role("link", "Annuler")
    send_button = by_role("button", "Envoyer")

    # The same label-driven helpers as the centralisateur's form page: fill(**), select().
    fill = DeclarationFormPage.fill
    select = DeclarationFormPage.select

    send = clicks("send_button")

    def send_and_open_declaration(self) -> Page:
        """Envoyer; the centralisateur's declaration opens in a new window, returned."""
        return self.opened_by(self.send_button)
