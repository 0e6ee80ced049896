"""Page objects of the Services.Spoticar portal (seed 003). Locators as attributes, user actions as
methods, no assertions."""
from __future__ import annotations

from playwright.sync_api import Locator, Page

from e2e.pages.screen import LoginScreen, Screen


class IcareLoginPage(LoginScreen):
    """« Connexion à votre espace »: Email, Mot de passe, « Mot de passe oublié ? », Se connecter."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.forgot_link = page.get_by_role("link", name="Mot de passe oublié ?")

    def forgot_password(self) -> None:
        self.forgot_link.click()


class ForgotPasswordPage(Screen):
    """« Réinitialisation du mot de passe »: Email and « Recevoir l'email de réinitialisation »."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.email = page.get_by_label("Email")
        self.submit = page.get_by_role("button", name="Recevoir l'email de réinitialisation")

    def request_reset(self, email: str) -> None:
        self.email.fill(email)
        self.submit.click()


class NewPasswordPage(Screen):
    """The page of a mailed link: reset (Enregistrer) or « Première connexion » (Suivant), with the
    live password rules."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.email = page.get_by_label("Email")
        self.password = page.get_by_label("Votre nouveau mot de passe")
        self.confirmation = page.get_by_label("Confirmation de mot de passe")
        self.save = page.get_by_role("button", name="Enregistrer")
        self.next = page.get_by_role("button", name="Suivant")
        self.rules = page.get_by_role("list", name="Règles du mot de passe").get_by_role("listitem")

    def rule(self, label: str) -> Locator:
        """The rule line whose text is ``label`` (e.g. "1 majuscule")."""
        return self.rules.filter(has_text=label)

    def type_password(self, password: str) -> None:
        self.password.fill(password)

    def choose_password(self, email: str, password: str, confirmation: str | None = None) -> None:
        """Fill email, password and confirmation, then Enregistrer (or Suivant on first login)."""
        self.email.fill(email)
        self.password.fill(password)
        self.confirmation.fill(password if confirmation is None else confirmation)
        (self.next if self.next.count() else self.save).click()


class PortalPage(Screen):
    """Any page behind the login: the menu and the search box."""

    MENU = ("ACCUEIL", "LISTE DEVIS ET CONTRATS", "PRISE EN CHARGE ATELIER", "EASICARE", "DOCUMENTS",
            "GESTION DES COMPTES")

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.menu = page.get_by_role("navigation", name="Menu principal")
        self.search_box = page.get_by_label("Immatriculation, n° contrat, n° accord")
        self.search_button = page.get_by_role("button", name="Rechercher").first
        self.heading = page.get_by_role("heading", level=1)
        self.results = self.data_rows()
        self.logout_button = page.get_by_role("button", name="Se déconnecter")

    def go(self, entry: str) -> None:
        """Click a menu entry (e.g. "DOCUMENTS")."""
        self.menu.get_by_role("link", name=entry, exact=True).click()

    def search(self, text: str) -> None:
        self.search_box.fill(text)
        self.search_box.press("Enter")

    def logout(self) -> None:
        self.logout_button.click()


class AccountsPage(Screen):
    """GESTION DES COMPTES: the user list and « + Ajouter un nouvel utilisateur »."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.add_user_link = page.get_by_role("link", name="+ Ajouter un nouvel utilisateur")
        self.rows = self.data_rows()

    def add_user(self) -> None:
        self.add_user_link.click()


class NewUserPage(Screen):
    """« Création d'un nouvel utilisateur »: personal data, establishment, rights, Enregistrer."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.last_name = page.get_by_label("Nom", exact=True)
        self.first_name = page.get_by_label("Prénom")
        self.email = page.get_by_label("Identifiant/Email")
        self.mobile = page.get_by_label("Numéro de téléphone mobile (optionnel)")
        self.phone = page.get_by_label("Numéro de téléphone fixe (optionnel)")
        self.save = page.get_by_role("button", name="Enregistrer")

    def right(self, label: str) -> Locator:
        return self.page.get_by_label(label, exact=True)

    def create(self, last_name: str, first_name: str, email: str, rights: list[str],
               mobile: str = "") -> None:
        """Fill the user, tick ``rights`` (their labels) and click Enregistrer."""
        self.last_name.fill(last_name)
        self.first_name.fill(first_name)
        self.email.fill(email)
        self.mobile.fill(mobile)
        for label in rights:
            self.right(label).check()
        self.save.click()


class DocumentsPage(Screen):
    """DOCUMENTS: search by Type de document, N° de facture and period; PDF links."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.doc_type = page.get_by_label("Type de document")
        self.number = page.get_by_label("N° de facture")
        self.start = page.get_by_label("Période du")
        self.end = page.get_by_label("au", exact=True)
        self.submit = page.get_by_role("button", name="Rechercher").last
        self.rows = self.data_rows()

    def search(self, doc_type: str = "", number: str = "", start: str = "", end: str = "") -> None:
        self.doc_type.select_option(label=doc_type or "Tous les types")
        self.number.fill(number)
        self.start.fill(start)
        self.end.fill(end)
        self.submit.click()

    def download_link(self, row: int = 0) -> Locator:
        return self.rows.nth(row).get_by_role("link")
