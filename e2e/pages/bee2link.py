"""Page objects of the Bee2link simulator (seed 000, "Souscription via Bee2link")."""
from __future__ import annotations

from playwright.sync_api import Locator, Page

from e2e.pages.screen import DeclarationState, Screen, by_label, by_role, by_test_id, clicks, exactly


class PipelinePage(Screen):
    """The VO pipeline bar (PRÉ-RENTRÉE … SORTIE with counts) and one stage's vehicle list."""

    bar = by_role("list", "Pipeline VO")
    vehicles = by_role("table")
    site = by_label("Site")
    change_site_button = by_role("button", "Changer de site")

    def open(self, stage: str = "livraison") -> PipelinePage:
        self.goto("/vo", etape=stage)
        return self

    def choose_site(self, label: str) -> None:
        """Work on another of the dealer group's sites (header select)."""
        self.site.select_option(label=label)
        self.change_site_button.click()

    def count(self, stage: str) -> Locator:
        """The "today(total)" count of a stage, e.g. "0(5)"."""
        return self.page.get_by_test_id(f"count-{stage}")

    def open_stage(self, label: str) -> None:
        self.navigated_by(self.bar.get_by_role("link", name=label))

    def open_vehicle(self, title: str) -> None:
        self.vehicles.get_by_role("link", name=title).first.click()


class SaleEntryPage(Screen):
    """Saisie d'une vente VO (sidebar): the vehicle, the customer (état civil, consent) and the order."""

    path = "/vo/ventes/nouvelle"
    save = by_role("button", "Enregistrer la vente")

    def text(self, label: str) -> Locator:
        return self.page.get_by_role("textbox", name=label, exact=True)

    def choice(self, label: str) -> Locator:
        return self.page.get_by_role("combobox", name=label, exact=True)

    def consent(self, label: str) -> Locator:
        return self.page.get_by_role("group", name="Consentement du client (FOCUS)").get_by_label(label, exact=True)


class VehicleCardPage(Screen):
    """The vehicle card: stage, move form, Financement, Médias, Historique, Commentaires, Documents joints,
    the order button "Commande n°… - … €", and on the delivery page the Services externes."""

    title = by_role("heading", level=1)
    stage = by_test_id("vehicle-stage")
    fields = {"stage_select": "Étape du pipeline", "comment_box": exactly("Commentaire")}
    links = {
        "delivery_link": "Ouvrir la page livraison",
        "order_button": "Commande n°",
        "external_services": "Services externes",
    }
    buttons = {
        "move_button": "Déplacer",
        "next_stage_button": "Passer à l'étape suivante",
        "add_comment_button": "Ajouter le commentaire",
        "declare_button": "Déclaration SPOTICAR",
    }
    financing = by_role("heading", "Financement")
    regions = {"history": "Historique", "comments": "Commentaires", "documents": "Documents joints"}

    move_to_next_stage = clicks("next_stage_button")
    open_delivery = clicks("delivery_link")
    open_external_services = clicks("external_services")
    open_order = clicks("order_button")

    def open(self, vehicle_id: int) -> VehicleCardPage:
        self.goto(f"/vo/vehicules/{vehicle_id}")
        return self

    def move_to(self, stage_label: str) -> None:
        self.stage_select.select_option(label=stage_label)
        self.move_button.click()

    def add_comment(self, text: str) -> None:
        self.fill_and_click(self.add_comment_button, comment_box=text)

    def declare_spoticar(self) -> Page:
        """Click Déclaration SPOTICAR; the centralisateur (or the refusal) opens in a new window."""
        return self.opened_by(self.declare_button)

    def declare_from_delivery_page(self) -> Page:
        """The seed's path: page livraison → Services externes → Déclaration SPOTICAR (new window)."""
        self.open_delivery()
        self.open_external_services()
        return self.declare_spoticar()


class OrderPage(Screen, DeclarationState):
    """The order ("Commande n°… - … €") and its Déclaration SPOTICAR: bon de commande, status, contract."""

    heading = by_role("heading", level=1)

    def open(self, number: int) -> OrderPage:
        self.goto(f"/vo/commandes/{number}")
        return self

    def refresh(self) -> None:
        self.page.reload()
