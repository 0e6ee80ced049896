"""Page objects of Tec3H's Spoticar warranty (seed 001): the vehicle card's Garantie tab and the
« Informations à valider/compléter pour la garantie » form."""
from __future__ import annotations

from playwright.sync_api import Page

from e2e.pages.centralisateur import DeclarationFormPage
from e2e.pages.screen import Screen


class WarrantyTabPage(Screen):
    """Vehicle card → Garantie: Nouvelle garantie Spoticar, status, numéro de bon de commande, the
    link that opens the centralisateur in a new window, Réessayer l'envoi, the contract number."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.new_spoticar_link = page.get_by_role("link", name="Nouvelle garantie Spoticar")
        self.open_declaration_link = page.get_by_role(
            "link", name="Ouvrir la déclaration sur le centralisateur")
        self.status = page.get_by_test_id("warranty-status")
        self.contract_number = page.get_by_test_id("contract-number")
        self.retry_button = page.get_by_role("button", name="Réessayer l'envoi")

    def new_spoticar_warranty(self) -> None:
        self.new_spoticar_link.click()

    def open_declaration(self) -> Page:
        """Click the link; the centralisateur's page opens in a new window, returned."""
        return self.opened_by(self.open_declaration_link)

    def retry(self) -> None:
        self.retry_button.click()


class WarrantyFormPage(Screen):
    """Garantie SPOTICAR — "Informations à valider/compléter pour la garantie": Annuler, Envoyer."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", name="Informations à valider/compléter pour la garantie")
        self.send_button = page.get_by_role("button", name="Envoyer")
        self.cancel_link = page.get_by_role("link", name="Annuler")

    # The same label-driven helpers as the centralisateur's form page: field(label), fill(**), select().
    field = DeclarationFormPage.field
    fill = DeclarationFormPage.fill
    select = DeclarationFormPage.select

    def send(self) -> None:
        self.send_button.click()

    def send_and_open_declaration(self) -> Page:
        """Envoyer; the centralisateur's declaration opens in a new window, returned."""
        return self.opened_by(self.send_button)
