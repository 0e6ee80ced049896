"""Page objects of the centralisateur's declaration screens (seed 000/001/002)."""
from __future__ import annotations

from playwright.sync_api import Download, Locator, Page

from e2e.pages.screen import LoginScreen, Screen


class LoginPage(LoginScreen):
    """CONNEXION: a dealer user's email and password."""


class ProfilePage(Screen):
    """PROFIL: "Configuration des garanties commerciales", NPO ticked and disabled, Modifier."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", name="Configuration des garanties commerciales")
        self.npo = page.get_by_label("NPO : Nouvelle Prestation Obligatoire")
        self.stellantis = page.get_by_label("Garantie SPOTICAR Stellantis")
        self.auto = page.get_by_label("Auto Garantie")
        self.cirano = page.get_by_label("Garantie Cirano")
        self.cirano_id = page.get_by_label("Identifiant Cirano")
        self.modify = page.get_by_role("button", name="Modifier")

    def configure(self, stellantis: bool = True, auto: bool = False, cirano_id: str | None = None) -> None:
        """Tick the garantisseurs the dealer works with and click Modifier."""
        self.stellantis.set_checked(stellantis)
        self.auto.set_checked(auto)
        self.cirano.set_checked(cirano_id is not None)
        if cirano_id is not None:
            self.cirano_id.fill(cirano_id)
        self.modify.click()


class ChooseGarantiePage(Screen):
    """DECLARATION VENTE SPOTICAR 1/3: the NPO declaration and the Garantie commerciale, Page Suivante."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.npo = page.get_by_label("1. Déclaration de la vente Nouvelle Prestation Obligatoire")
        self.garantie = page.get_by_label("2. Garantie commerciale Spoticar")
        self.next = page.get_by_role("button", name="Page Suivante")

    def choose(self, npo: str | None = "Spoticar", garantie: str | None = "Garantie SPOTICAR Stellantis") -> None:
        if npo is not None:
            self.npo.select_option(label=npo)
        if garantie is not None:
            self.garantie.select_option(label=garantie)
        self.next.click()


class DeclarationFormPage(Screen):
    """DECLARATION VENTE SPOTICAR 2/3: the pre-filled form and Déclarer et Garantir."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.bdc_number = page.get_by_test_id("bdc-number")
        self.declare_button = page.get_by_role("button", name="Déclarer et Garantir")

    def field(self, label: str) -> Locator:
        """The input whose label is exactly ``label`` (asterisk included: "Immatriculation*")."""
        return self.page.get_by_label(label, exact=True)

    def fill(self, **values: str) -> None:
        """Fill text fields by exact label: ``fill(**{"Immatriculation*": "AA-123-AA"})``."""
        for label, value in values.items():
            self.field(label).fill(value)

    def select(self, label: str, option: str) -> None:
        self.field(label).select_option(label=option)

    def clear(self, *labels: str) -> None:
        for label in labels:
            locator = self.field(label)
            if locator.evaluate("e => e.tagName") == "SELECT":
                locator.select_option(value="")
            else:
                locator.fill("")

    def tick_consent(self, *names: str) -> None:
        for name in names:
            self.page.get_by_label(name, exact=True).check()

    def declare(self) -> None:
        self.declare_button.click()


class ConfirmationPage(Screen):
    """DECLARATION VENTE SPOTICAR 3/3: both confirmation messages and the two PDFs."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.success = page.get_by_text("Votre demande a été effectuée avec succès")
        self.contract = page.get_by_text("La création a bien été effectuée")
        self.releve_button = page.get_by_role("link", name="Imprimer le relevé d'information")
        self.certificat_button = page.get_by_role("link", name="Imprimer le certificat de souscription")

    def download_releve(self) -> Download:
        with self.page.expect_download() as info:
            self.releve_button.click()
        return info.value

    def download_certificat(self) -> Download:
        with self.page.expect_download() as info:
            self.certificat_button.click()
        return info.value


class Menu(Screen):
    """The top menu of every centralisateur page."""

    def __init__(self, page: Page):
        self.nav = page.get_by_role("navigation", name="Menu principal")
        self.logout = self.nav.get_by_role("button", name="Se déconnecter")

    def link(self, name: str) -> Locator:
        return self.nav.get_by_role("link", name=name, exact=True)

    def go(self, name: str) -> None:
        self.link(name).click()


class ReceptionApvPage(Screen):
    """Réception APV: a vehicle's warranty found by plate, VIN or N° de contrat."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.search_box = page.get_by_label("Immatriculation, VIN ou N° de contrat")
        self.search_button = page.get_by_role("button", name="Rechercher")
        self.results = page.get_by_role("table", name="Garanties trouvées")
        self.claim_link = page.get_by_role("link", name="Services.Spoticar — PRISE EN CHARGE ATELIER")

    def search(self, text: str) -> None:
        self.search_box.fill(text)
        self.search_button.click()
