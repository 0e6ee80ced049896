"""Page objects of the Bee2link simulator (seed 000, "Souscription via Bee2link")."""
from __future__ import annotations

from playwright.sync_api import Locator, Page

from e2e.pages.screen import DeclarationState, Screen


class PipelinePage(Screen):
    """The VO pipeline bar (PRÉ-RENTRÉE … SORTIE with counts) and one stage's vehicle list."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.bar = page.get_by_role("list", name="Pipeline VO")
        self.vehicles = page.get_by_role("table")
        self.site = page.get_by_label("Site")
        self.change_site_button = page.get_by_role("button", name="Changer de site")

    def open(self, stage: str = "livraison") -> PipelinePage:
        self.page.goto(f"{self.base_url}/vo?etape={stage}")
        return self

    def choose_site(self, label: str) -> None:
        """Work on another of the dealer group's sites (header select)."""
        self.site.select_option(label=label)
        self.change_site_button.click()

    def count(self, stage: str) -> Locator:
        """The "today(total)" count of a stage, e.g. "0(5)"."""
        return self.page.get_by_test_id(f"count-{stage}")

    def open_stage(self, label: str) -> None:
        self.bar.get_by_role("link", name=label).click()

    def open_vehicle(self, title: str) -> None:
        self.vehicles.get_by_role("link", name=title).first.click()


class SaleEntryPage(Screen):
    """Saisie d'une vente VO (sidebar): the vehicle, the customer (état civil, consent) and the order."""

    path = "/vo/ventes/nouvelle"

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.save = page.get_by_role("button", name="Enregistrer la vente")

    def text(self, label: str) -> Locator:
        return self.page.get_by_role("textbox", name=label, exact=True)

    def choice(self, label: str) -> Locator:
        return self.page.get_by_role("combobox", name=label, exact=True)

    def consent(self, label: str) -> Locator:
        return self.page.get_by_role("group", name="Consentement du client (FOCUS)").get_by_label(label, exact=True)


class VehicleCardPage(Screen):
    """The vehicle card: stage, move form, Financement, Médias, Historique, Commentaires, Documents joints,
    the order button "Commande n°… - … €", and on the delivery page the Services externes."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.title = page.get_by_role("heading", level=1)
        self.stage = page.get_by_test_id("vehicle-stage")
        self.stage_select = page.get_by_label("Étape du pipeline")
        self.move_button = page.get_by_role("button", name="Déplacer")
        self.next_stage_button = page.get_by_role("button", name="Passer à l'étape suivante")
        self.delivery_link = page.get_by_role("link", name="Ouvrir la page livraison")
        self.order_button = page.get_by_role("link", name="Commande n°")
        self.financing = page.get_by_role("heading", name="Financement")
        self.history = page.get_by_role("region", name="Historique")
        self.comments = page.get_by_role("region", name="Commentaires")
        self.documents = page.get_by_role("region", name="Documents joints")
        self.comment_box = page.get_by_label("Commentaire", exact=True)
        self.add_comment_button = page.get_by_role("button", name="Ajouter le commentaire")
        self.external_services = page.get_by_role("link", name="Services externes")
        self.declare_button = page.get_by_role("button", name="Déclaration SPOTICAR")

    def open(self, vehicle_id: int) -> VehicleCardPage:
        self.page.goto(f"{self.base_url}/vo/vehicules/{vehicle_id}")
        return self

    def move_to(self, stage_label: str) -> None:
        self.stage_select.select_option(label=stage_label)
        self.move_button.click()

    def move_to_next_stage(self) -> None:
        self.next_stage_button.click()

    def add_comment(self, text: str) -> None:
        self.comment_box.fill(text)
        self.add_comment_button.click()

    def open_delivery(self) -> None:
        self.delivery_link.click()

    def open_external_services(self) -> None:
        self.external_services.click()

    def declare_spoticar(self) -> Page:
        """Click Déclaration SPOTICAR; the centralisateur (or the refusal) opens in a new window."""
        with self.page.context.expect_page() as new_window:
            self.declare_button.click()
        window = new_window.value
        window.wait_for_load_state()
        return window

    def declare_from_delivery_page(self) -> Page:
        """The seed's path: page livraison → Services externes → Déclaration SPOTICAR (new window)."""
        self.open_delivery()
        self.open_external_services()
        return self.declare_spoticar()

    def open_order(self) -> None:
        self.order_button.click()


class OrderPage(Screen, DeclarationState):
    """The order ("Commande n°… - … €") and its Déclaration SPOTICAR: bon de commande, status, contract."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", level=1)
        DeclarationState.__init__(self, page)

    def open(self, number: int) -> OrderPage:
        self.page.goto(f"{self.base_url}/vo/commandes/{number}")
        return self

    def refresh(self) -> None:
        self.page.reload()
