"""Page objects of the Services.Spoticar portal (seed 003). Locators as attributes, user actions as
methods, no assertions."""
from __future__ import annotations

from playwright.sync_api import Locator

from e2e.pages.screen import DataRows, LoginScreen, Screen, by_label, by_role, clicks, exactly, navigates


class IcareLoginPage(LoginScreen):
    """« Connexion à votre espace »: Email, Mot de passe, « Mot de passe oublié ? », Se connecter."""

    forgot_link = by_role("link", "Mot de passe oublié ?")

    forgot_password = clicks("forgot_link")


class ForgotPasswordPage(Screen):
    """« Réinitialisation du mot de passe »: Email and « Recevoir l'email de réinitialisation »."""

    email = by_label("Email")
    submit = by_role("button", "Recevoir l'email de réinitialisation")

    def request_reset(self, email: str) -> None:
        self.fill_and_click(self.submit, email=email)


class NewPasswordPage(Screen):
    """The page of a mailed link: reset (Enregistrer) or « Première connexion » (Suivant), with the
    live password rules."""

    fields = {
        "email": "Email",
        "password": "Votre nouveau mot de passe",
        "confirmation": "Confirmation de mot de passe",
    }
    buttons = {"save": "Enregistrer", "next": "Suivant"}
    rule_list = by_role("list", "Règles du mot de passe")
    rules = by_role("listitem", within="rule_list")

    def rule(self, label: str) -> Locator:
        """The rule line whose text is ``label`` (e.g. "1 majuscule")."""
        return self.rules.filter(has_text=label)

    def type_password(self, password: str) -> None:
        self.password.fill(password)

    def choose_password(self, email: str, password: str, confirmation: str | None = None) -> None:
        """Fill email, password and confirmation, then Enregistrer (or Suivant on first login)."""
        self.fill_in(email=email, password=password,
                     confirmation=password if confirmation is None else confirmation)
        (self.next if self.next.count() else self.save).click()


class PortalPage(Screen):
    """Any page behind the login: the menu and the search box."""

    MENU = ("ACCUEIL", "LISTE DEVIS ET CONTRATS", "PRISE EN CHARGE ATELIER", "EASICARE", "DOCUMENTS",
            "GESTION DES COMPTES")

    menu = by_role("navigation", "Menu principal")
    search_box = by_label("Immatriculation, n° contrat, n° accord")
    heading = by_role("heading", level=1)
    logout_button = by_role("button", "Se déconnecter")
    search_button = by_role("button", "Rechercher").first
    results = DataRows()

    logout = navigates("logout_button")

    def go(self, entry: str) -> None:
        """Click a menu entry (e.g. "DOCUMENTS")."""
        self.navigated_by(self.menu.get_by_role("link", name=entry, exact=True))

    def search(self, text: str) -> None:
        self.search_box.fill(text)
        self.search_box.press("Enter")


class AccountsPage(Screen):
    """GESTION DES COMPTES: the user list and « + Ajouter un nouvel utilisateur »."""

    add_user_link = by_role("link", "+ Ajouter un nouvel utilisateur")
    rows = DataRows()

    add_user = clicks("add_user_link")


class NewUserPage(Screen):
    """« Création d'un nouvel utilisateur »: personal data, establishment, rights, Enregistrer."""

    fields = {
        "last_name": exactly("Nom"),
        "first_name": "Prénom",
        "email": "Identifiant/Email",
        "mobile": "Numéro de téléphone mobile (optionnel)",
        "phone": "Numéro de téléphone fixe (optionnel)",
    }
    save = by_role("button", "Enregistrer")

    def create(self, last_name: str, first_name: str, email: str, rights: list[str],
               mobile: str = "") -> None:
        """Fill the user, tick ``rights`` (their labels) and click Enregistrer."""
        self.fill_in(last_name=last_name, first_name=first_name, email=email, mobile=mobile)
        for label in rights:
            self.field(label).check()
        self.save.click()


class DocumentsPage(Screen):
    """DOCUMENTS: search by Type de document, N° de facture and period; PDF links."""

    fields = {
        "doc_type": "Type de document",
        "number": "N° de facture",
        "start": "Période du",
        "end": exactly("au"),
    }

    submit = by_role("button", "Rechercher").last
    rows = DataRows()

    def search(self, doc_type: str = "", number: str = "", start: str = "", end: str = "") -> None:
        self.doc_type.select_option(label=doc_type or "Tous les types")
        self.fill_and_click(self.submit, number=number, start=start, end=end)

    def download_link(self, row: int = 0) -> Locator:
        return self.rows.nth(row).get_by_role("link")
