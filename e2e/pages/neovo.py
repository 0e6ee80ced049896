"""Page objects of the NeoVO (Reynolds) simulator (seed 000, "Souscription via NeoVO")."""
from __future__ import annotations

from e2e.pages.screen import DeclarationState, Screen, by_role


class DossierPage(Screen, DeclarationState):
    """"Dossier n°V…": the VISUALISATION DES PIECES DE VENTE table, the links and Garantir."""

    heading = by_role("heading", level=1)
    sale = by_role("heading", level=2)
    pieces = by_role("table", "VISUALISATION DES PIECES DE VENTE")
    actions = by_role("navigation", "Actions du dossier")
    garantir_button = by_role("button", "Garantir", within="actions")

    def open(self, number: str) -> DossierPage:
        self.goto(f"/dossiers/{number}")
        return self

    def link(self, name: str):
        return self.actions.get_by_role("link", name=name, exact=True)

    def open_link(self, name: str) -> None:
        self.navigated_by(self.link(name))

    def garantir(self) -> None:
        """Send the sale to the centralisateur; the same window goes on to its page 1."""
        self.garantir_button.click()

    def garantir_despite_disabled_button(self) -> None:
        """What a user with developer tools (or a stale page) does: re-enable Garantir and submit."""
        self.garantir_button.evaluate(
            "button => { button.disabled = false; button.removeAttribute('aria-disabled'); }")
        self.garantir_button.click()
