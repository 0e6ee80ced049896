"""Page objects of the centralisateur's declaration screens (seed 000/001/002)."""
from __future__ import annotations

from playwright.sync_api import Download, Locator

from e2e.pages.screen import LoginScreen, Screen, by_label, by_role, by_test_id, by_text, clicks


class LoginPage(LoginScreen):
    """CONNEXION: a dealer user's email and password."""


class ProfilePage(Screen):
    """PROFIL: "Configuration des garanties commerciales", NPO ticked and disabled, Modifier."""

    heading = by_role("heading", "Configuration des garanties commerciales")
    fields = {
        "npo": "NPO : Nouvelle Prestation Obligatoire",
        "stellantis": "Garantie SPOTICAR Stellantis",
        "auto": "Auto Garantie",
        "cirano": "Garantie Cirano",
        "cirano_id": "Identifiant Cirano",
    }
    modify = by_role("button", "Modifier")

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

    fields = {
        "npo": "1. Déclaration de la vente Nouvelle Prestation Obligatoire",
        "garantie": "2. Garantie commerciale Spoticar",
    }
    next = by_role("button", "Page Suivante")

    def choose(self, npo: str | None = "Spoticar", garantie: str | None = "Garantie SPOTICAR Stellantis") -> None:
        if npo is not None:
            self.npo.select_option(label=npo)
        if garantie is not None:
            self.garantie.select_option(label=garantie)
        self.next.click()


class DeclarationFormPage(Screen):
    """DECLARATION VENTE SPOTICAR 2/3: the pre-filled form and Déclarer et Garantir."""

    bdc_number = by_test_id("bdc-number")
    declare_button = by_role("button", "Déclarer et Garantir")

    declare = clicks("declare_button")

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
            self.field(name).check()


class ConfirmationPage(Screen):
    """DECLARATION VENTE SPOTICAR 3/3: both confirmation messages and the two PDFs."""

    success = by_text("Votre demande a été effectuée avec succès")
    contract = by_text("La création a bien été effectuée")
    links = {
        "releve_button": "Imprimer le relevé d'information",
        "certificat_button": "Imprimer le certificat de souscription",
    }

    def download_releve(self) -> Download:
        return self.downloaded_by(self.releve_button)

    def download_certificat(self) -> Download:
        return self.downloaded_by(self.certificat_button)


class Menu(Screen):
    """The top menu of every centralisateur page."""

    nav = by_role("navigation", "Menu principal")
    logout = by_role("button", "Se déconnecter", within="nav")

    def link(self, name: str) -> Locator:
        return self.nav.get_by_role("link", name=name, exact=True)

    def go(self, name: str) -> None:
        self.navigated_by(self.link(name))


class ReceptionApvPage(Screen):
    """Réception APV: a vehicle's warranty found by plate, VIN or N° de contrat."""

    search_box = by_label("Immatriculation, VIN ou N° de contrat")
    search_button = by_role("button", "Rechercher")
    results = by_role("table", "Garanties trouvées")
    claim_link = by_role("link", "Services.Spoticar — PRISE EN CHARGE ATELIER")

    def search(self, text: str) -> None:
        self.fill_and_click(self.search_button, search_box=text)
