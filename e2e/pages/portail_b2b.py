"""Page objects of the Stellantis Portail B2B simulator (seed 004). Labels carry " *" when required,
so fields are located by their exact label text."""
from __future__ import annotations

from playwright.sync_api import Locator, Page

from e2e.pages.screen import Screen


def _field(page: Page, label: str, required: bool = True) -> Locator:
    return page.get_by_label(f"{label} *" if required else label, exact=True)


class _Screen(Screen):
    """A portal screen: the error block and notices (``Screen``), and the main menu."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.menu = page.get_by_role("navigation", name="Menu principal")



class HomePage(_Screen):
    """« Découvrez le nouveau Portail B2B! »: the three steps and the first login box."""

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", name="Découvrez le nouveau Portail B2B!")
        self.present_company = page.get_by_role("link", name="Présentez votre société dans la base fournisseur")
        self.get_access = page.get_by_role("link", name="Obtenir un accès au portail B2B")
        self.help = page.get_by_role("main").get_by_role("link", name="Aide & Contact")
        self.login_box = LoginPage(page, base_url)  # the first of the two places to log in

    def go_to_help(self) -> None:
        self.menu.get_by_role("link", name="Aide & Contact").click()


class PresentationPage(_Screen):
    """« Présentez votre société dans la base fournisseur »: the company and its contact."""

    path = "/presentation"

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.cofor = _field(page, "COFOR (si votre société en a déjà un)", required=False)
        self.name = _field(page, "Raison sociale")
        self.siret = _field(page, "SIRET")
        self.address = _field(page, "Adresse")
        self.postcode = _field(page, "Code postal")
        self.city = _field(page, "Ville")
        self.country = _field(page, "Pays")
        self.activity = _field(page, "Domaine d'activité")
        self.contact_last_name = _field(page, "Nom du contact")
        self.contact_first_name = _field(page, "Prénom du contact")
        self.contact_email = _field(page, "Adresse mail du contact")
        self.contact_phone = _field(page, "Téléphone du contact", required=False)
        self.send = page.get_by_role("button", name="Envoyer")

    def present(self, company: dict, contact: dict, cofor: str = "") -> None:
        """Fill the form from ``company`` (name, siret, address, postcode, city, activity) and send."""
        if cofor:
            self.cofor.fill(cofor)
        self.name.fill(company["name"])
        self.siret.fill(company["siret"])
        self.address.fill(company["address"])
        self.postcode.fill(company["postcode"])
        self.city.fill(company["city"])
        self.country.fill("France")
        if company.get("activity"):
            self.activity.select_option(label=company["activity"])
        self.contact_last_name.fill(contact["last_name"])
        self.contact_first_name.fill(contact["first_name"])
        self.contact_email.fill(contact["email"])
        self.send.click()


class AccessPage(_Screen):
    """« Obtenir un accès au portail B2B »: COFOR, code site, Commencer l'analyse, the grey timeline,
    the results and, when the company is presented, the access request form."""

    path = "/acces"

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.cofor = _field(page, "COFOR")
        self.code_site = _field(page, "Code site (facultatif)", required=False)
        self.start = page.get_by_role("button", name="Commencer l'analyse")
        self.unknown_cofor = page.get_by_role("button", name="je ne connais pas le COFOR de ma société")
        self.timeline = page.get_by_role("list", name="Étapes de l'accès au portail B2B").get_by_role("listitem")
        self.current_step = self.timeline.filter(has_text="(étape en cours)")
        self.results = page.get_by_role("region", name="Résultats")
        self.answer = self.results  # the indication given for the company's stage
        self.present_company = self.results.get_by_role("link", name="Présentez votre société dans la base fournisseur")
        self.request_last_name = _field(page, "Nom")
        self.request_first_name = _field(page, "Prénom")
        self.request_email = _field(page, "Adresse mail")
        self.request_phone = _field(page, "Téléphone")
        self.terms = page.get_by_label("J'accepte les conditions d'utilisation du portail B2B")
        self.send_request = page.get_by_role("button", name="Envoyer la demande d'accès")

    def analyse(self, cofor: str, code_site: str = "") -> None:
        self.cofor.fill(cofor)
        self.code_site.fill(code_site)
        self.start.click()

    def request_access(self, person: dict, accept_terms: bool = True) -> None:
        """Fill the access request (future ASL Tiers) and send it."""
        self.request_last_name.fill(person["last_name"])
        self.request_first_name.fill(person["first_name"])
        self.request_email.fill(person["email"])
        self.request_phone.fill(person["phone"])
        self.terms.set_checked(accept_terms)
        self.send_request.click()


class UnknownCoforPage(_Screen):
    """« je ne connais pas le COFOR de ma société »: a contact form to the portal's assistance."""

    path = "/acces/cofor-inconnu"

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.company = _field(page, "Raison sociale")
        self.siret = _field(page, "SIRET")
        self.last_name = _field(page, "Nom")
        self.first_name = _field(page, "Prénom")
        self.email = _field(page, "Adresse mail")
        self.message = _field(page, "Message", required=False)
        self.send = page.get_by_role("button", name="Envoyer")

    def ask_for_cofor(self, person: dict, message: str = "") -> None:
        self.company.fill(person["company"])
        self.siret.fill(person["siret"])
        self.last_name.fill(person["last_name"])
        self.first_name.fill(person["first_name"])
        self.email.fill(person["email"])
        self.message.fill(message)
        self.send.click()


class LoginPage(_Screen):
    """« Connectez vous à votre espace privé »: personal identifiant (V…) and password."""

    path = "/connexion"

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.identifiant = _field(page, "Identifiant")
        self.password = _field(page, "Mot de passe")
        self.submit = page.get_by_role("button", name="Se connecter")

    def login(self, identifiant: str, password: str) -> None:
        self.identifiant.fill(identifiant)
        self.password.fill(password)
        self.submit.click()


class PrivateSpacePage(_Screen):
    """« Mon espace privé »: welcome line, company, and the users table for an ASL Tiers."""

    path = "/espace"

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", name="Mon espace privé")
        self.welcome = page.get_by_text("Bienvenue")
        self.users = page.get_by_role("table")
        self.logout_button = page.get_by_role("button", name="Se déconnecter")

    def logout(self) -> None:
        self.logout_button.click()


class LostIdentifiantPage(_Screen):
    """« Vous avez oublié votre identifiant ? »: email and COFOR, envoyer."""

    path = "/identifiant-perdu"

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.email = _field(page, "Adresse mail")
        self.cofor = _field(page, "COFOR")
        self.send = page.get_by_role("button", name="envoyer")

    def ask_identifiant(self, email: str, cofor: str) -> None:
        self.email.fill(email)
        self.cofor.fill(cofor)
        self.send.click()


class LostPasswordPage(_Screen):
    """« Vous avez oublié votre mot de passe ? »: V identifiant and email, envoyer → reset link."""

    path = "/mot-de-passe-perdu"

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.identifiant = _field(page, "Identifiant")
        self.email = _field(page, "Adresse mail")
        self.send = page.get_by_role("button", name="envoyer")

    def ask_reset_link(self, identifiant: str, email: str) -> None:
        self.identifiant.fill(identifiant)
        self.email.fill(email)
        self.send.click()


class NewPasswordPage(_Screen):
    """The page behind a reset link: new password twice, Enregistrer."""

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.password = _field(page, "Nouveau mot de passe")
        self.confirmation = _field(page, "Confirmation du mot de passe")
        self.save = page.get_by_role("button", name="Enregistrer")

    def choose_password(self, password: str, confirmation: str | None = None) -> None:
        self.password.fill(password)
        self.confirmation.fill(password if confirmation is None else confirmation)
        self.save.click()


class AslTiersPage(_Screen):
    """ASL Tiers reset: identifiant STELLANTIS, COFOR and the exact registered email, envoyer."""

    path = "/asl-tiers"

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.identifiant = _field(page, "Identifiant STELLANTIS")
        self.cofor = _field(page, "COFOR")
        self.email = _field(page, "Adresse mail")
        self.send = page.get_by_role("button", name="envoyer")
        self.asl_contact = page.get_by_role("region", name="Votre ASL Tiers")

    def ask_reset_password(self, identifiant: str, cofor: str, email: str) -> None:
        self.identifiant.fill(identifiant)
        self.cofor.fill(cofor)
        self.email.fill(email)
        self.send.click()


class HelpPage(_Screen):
    """« Aide & Contact »: site map, documents and guides, Obtenir de l'aide, En savoir plus."""

    path = "/aide"

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.site_map = page.get_by_role("list", name="Plan du site")
        self.guides = page.get_by_role("list", name="Documents et guides").get_by_role("link")
        self.get_help_link = page.get_by_role("link", name="Obtenir de l'aide")
        self.learn_more_link = page.get_by_role("link", name="En savoir plus")

    def open_guide(self, title: str) -> None:
        self.guides.filter(has_text=title).click()

    def get_help(self) -> None:
        self.get_help_link.click()


class ContactPage(_Screen):
    """The contact form: subject, free text, optional screenshot, contact details, envoyer."""

    path = "/aide/contact"

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.subject = _field(page, "Objet de votre demande")
        self.message = _field(page, "Votre demande")
        self.screenshot = page.get_by_label("Copie d'écran (facultatif)")
        self.last_name = _field(page, "Nom")
        self.first_name = _field(page, "Prénom")
        self.company = _field(page, "Société")
        self.email = _field(page, "Adresse mail")
        self.phone = _field(page, "Téléphone", required=False)
        self.identifiant = _field(page, "Identifiant (si vous en avez un)", required=False)
        self.cofor = _field(page, "COFOR (si vous le connaissez)", required=False)
        self.send = page.get_by_role("button", name="envoyer")

    def write(self, subject: str, message: str, person: dict, identifiant: str = "", cofor: str = "",
              screenshot: dict | None = None) -> None:
        """Fill the form; ``screenshot`` is Playwright's file payload (name, mimeType, buffer)."""
        self.subject.select_option(label=subject)
        self.message.fill(message)
        if screenshot:
            self.screenshot.set_input_files(screenshot)
        self.last_name.fill(person["last_name"])
        self.first_name.fill(person["first_name"])
        self.company.fill(person["company"])
        self.email.fill(person["email"])
        self.phone.fill(person["phone"])
        self.identifiant.fill(identifiant)
        self.cofor.fill(cofor)

    def send_request(self) -> None:
        self.send.click()
