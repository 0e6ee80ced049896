"""Page objects of the NeoVO (Reynolds) simulator (seed 000, "Souscription via NeoVO")."""
from __future__ import annotations

from playwright.sync_api import Page

from e2e.pages.screen import DeclarationState, Screen


class DossierPage(Screen, DeclarationState):
    """"Dossier n°V…": the VISUALISATION DES PIECES DE VENTE table, the links and Garantir."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", level=1)
        self.sale = page.get_by_role("heading", level=2)
        self.pieces = page.get_by_role("table", name="VISUALISATION DES PIECES DE VENTE")
        self.actions = page.get_by_role("navigation", name="Actions du dossier")
        self.garantir_button = self.actions.get_by_role("button", name="Garantir")
        DeclarationState.__init__(self, page)

    def open(self, number: str) -> DossierPage:
        self.page.goto(f"{self.base_url}/dossiers/{number}")
        return self

    def link(self, name: str):
        return self.actions.get_by_role("link", name=name, exact=True)

    def open_link(self, name: str) -> None:
        self.link(name).click()

    def garantir(self) -> None:
        """Send the sale to the centralisateur; the same window goes on to its page 1."""
        self.garantir_button.click()

    def garantir_despite_disabled_button(self) -> None:
        """What a user with developer tools (or a stale page) does: re-enable Garantir and submit."""
        self.garantir_button.evaluate(
            "button => { button.disabled = false; button.removeAttribute('aria-disabled'); }")
        self.garantir_button.click()
