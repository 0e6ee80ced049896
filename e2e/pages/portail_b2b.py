"""Page objects of the Stellantis Portail B2B simulator (seed 004). Labels carry " *" when required,
so fields are located by their exact label text."""
from __future__ import annotations

from playwright.sync_api import Page

from e2e.pages.screen import Screen, by_role, by_text, clicks, navigates


class _Screen(Screen):
    """A portal screen: the error block and notices (``Screen``), and the main menu."""

    menu = by_role("navigation", "Menu principal")
    exact_labels = True  # "Nom *" and "Nom du contact *", "COFOR *" and "COFOR (si …)"


class HomePage(_Screen):
    """« Découvrez le nouveau Portail B2B! »: the three steps and the first login box."""

    heading = by_role("heading", "Découvrez le nouveau Portail B2B!")
    links = {
        "present_company": "Présentez votre société dans la base fournisseur",
        "get_access": "Obtenir un accès au portail B2B",
    }
    main = by_role("main")
    help = by_role("link", "Aide & Contact", within="main")

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.login_box = LoginPage(page, base_url)  # the first of the two places to log in

    def go_to_help(self) -> None:
        self.navigated_by(self.menu.get_by_role("link", name="Aide & Contact"))


class PresentationPage(_Screen):
    """« Présentez votre société dans la base fournisseur »: the company and its contact."""

    path = "/presentation"
    fields = {
        "cofor": "COFOR (si votre société en a déjà un)",
        "name": "Raison sociale *",
        "siret": "SIRET *",
        "address": "Adresse *",
        "postcode": "Code postal *",
        "city": "Ville *",
        "country": "Pays *",
        "activity": "Domaine d'activité *",
        "contact_last_name": "Nom du contact *",
        "contact_first_name": "Prénom du contact *",
        "contact_email": "Adresse mail du contact *",
        "contact_phone": "Téléphone du contact",
    }
    send = by_role("button", "Envoyer")

    def present(self, company: dict, contact: dict, cofor: str = "") -> None:
        """Fill the form from ``company`` (name, siret, address, postcode, city, activity) and send."""
        if cofor:
            self.cofor.fill(cofor)
        self.fill_in(name=company["name"], siret=company["siret"], address=company["address"],
                     postcode=company["postcode"], city=company["city"], country="France")
        if company.get("activity"):
            self.activity.select_option(label=company["activity"])
        self.fill_and_click(self.send, contact_last_name=contact["last_name"],
                            contact_first_name=contact["first_name"], contact_email=contact["email"])


class AccessPage(_Screen):
    """« Obtenir un accès au portail B2B »: COFOR, code site, Commencer l'analyse, the grey timeline,
    the results and, when the company is presented, the access request form."""

    path = "/acces"
    fields = {
        "cofor": "COFOR *",
        "code_site": "Code site (facultatif)",
        "request_last_name": "Nom *",
        "request_first_name": "Prénom *",
        "request_email": "Adresse mail *",
        "request_phone": "Téléphone *",
        "terms": "J'accepte les conditions d'utilisation du portail B2B *",
    }
    buttons = {
        "start": "Commencer l'analyse",
        "unknown_cofor": "je ne connais pas le COFOR de ma société",
        "send_request": "Envoyer la demande d'accès",
    }
    steps = by_role("list", "Étapes de l'accès au portail B2B")
    timeline = by_role("listitem", within="steps")
    results = by_role("region", "Résultats")
    answer = results  # the indication given for the company's stage
    present_company = by_role("link", "Présentez votre société dans la base fournisseur", within="results")
    current_step = timeline.filter(has_text="(étape en cours)")

    def analyse(self, cofor: str, code_site: str = "") -> None:
        self.fill_and_click(self.start, cofor=cofor, code_site=code_site)

    def request_access(self, person: dict, accept_terms: bool = True) -> None:
        """Fill the access request (future ASL Tiers) and send it."""
        self.fill_in(request_last_name=person["last_name"], request_first_name=person["first_name"],
                     request_email=person["email"], request_phone=person["phone"])
        self.terms.set_checked(accept_terms)
        self.send_request.click()


class UnknownCoforPage(_Screen):
    """« je ne connais pas le COFOR de ma société »: a contact form to the portal's assistance, reached from
    the access page's button."""

    fields = {
        "company": "Raison sociale *",
        "siret": "SIRET *",
        "last_name": "Nom *",
        "first_name": "Prénom *",
        "email": "Adresse mail *",
        "message": "Message",
    }
    send = by_role("button", "Envoyer")

    def ask_for_cofor(self, person: dict, message: str = "") -> None:
        self.fill_and_click(self.send, company=person["company"], siret=person["siret"],
                            last_name=person["last_name"], first_name=person["first_name"], email=person["email"],
                            message=message)


class LoginPage(_Screen):
    """« Connectez vous à votre espace privé »: personal identifiant (V…) and password."""

    path = "/connexion"
    fields = {"identifiant": "Identifiant *", "password": "Mot de passe *"}
    submit = by_role("button", "Se connecter")

    def login(self, identifiant: str, password: str) -> None:
        self.fill_and_click(self.submit, identifiant=identifiant, password=password)


class PrivateSpacePage(_Screen):
    """« Mon espace privé »: welcome line, company, and the users table for an ASL Tiers."""

    path = "/espace"
    heading = by_role("heading", "Mon espace privé")
    welcome = by_text("Bienvenue")
    users = by_role("table")
    logout_button = by_role("button", "Se déconnecter")

    logout = navigates("logout_button")


class _LostForm(_Screen):
    """The forms of a forgotten identifiant or password (one form on the portal): their fields, envoyer."""

    send = by_role("button", "envoyer")

    def ask(self, **values: str) -> None:
        """Fill the fields named in ``values`` and click envoyer."""
        self.fill_and_click(self.send, **values)


class LostIdentifiantPage(_LostForm):
    """« Vous avez oublié votre identifiant ? »: email and COFOR, envoyer."""

    path = "/identifiant-perdu"
    fields = {"email": "Adresse mail *", "cofor": "COFOR *"}


class LostPasswordPage(_LostForm):
    """« Vous avez oublié votre mot de passe ? »: V identifiant and email, envoyer → reset link."""

    path = "/mot-de-passe-perdu"
    fields = {"identifiant": "Identifiant *", "email": "Adresse mail *"}


class NewPasswordPage(_Screen):
    """The page behind a reset link: new password twice, Enregistrer."""

    fields = {"password": "Nouveau mot de passe *", "confirmation": "Confirmation du mot de passe *"}
    save = by_role("button", "Enregistrer")

    def choose_password(self, password: str, confirmation: str | None = None) -> None:
        self.fill_and_click(self.save, password=password,
                            confirmation=password if confirmation is None else confirmation)


class AslTiersPage(_LostForm):
    """ASL Tiers reset: identifiant STELLANTIS, COFOR and the exact registered email, envoyer."""

    path = "/asl-tiers"
    fields = {"identifiant": "Identifiant STELLANTIS *", "cofor": "COFOR *", "email": "Adresse mail *"}
    asl_contact = by_role("region", "Votre ASL Tiers")


class HelpPage(_Screen):
    """« Aide & Contact »: site map, documents and guides, Obtenir de l'aide, En savoir plus."""

    path = "/aide"
    site_map = by_role("list", "Plan du site")
    guide_list = by_role("list", "Documents et guides")
    guides = by_role("link", within="guide_list")
    links = {"get_help_link": "Obtenir de l'aide", "learn_more_link": "En savoir plus"}

    get_help = clicks("get_help_link")

    def open_guide(self, title: str) -> None:
        self.guides.filter(has_text=title).click()


class ContactPage(_Screen):
    """The contact form: subject, free text, optional screenshot, contact details, envoyer."""

    path = "/aide/contact"
    subject = by_role("combobox", "Objet de votre demande *")  # a drop-down list of subjects
    fields = {
        "message": "Votre demande *",
        "screenshot": "Copie d'écran (facultatif)",
        "last_name": "Nom *",
        "first_name": "Prénom *",
        "company": "Société *",
        "email": "Adresse mail *",
        "phone": "Téléphone",
        "identifiant": "Identifiant (si vous en avez un)",
        "cofor": "COFOR (si vous le connaissez)",
    }
    send = by_role("button", "envoyer")

    send_request = clicks("send")

    def write(self, subject: str, message: str, person: dict, identifiant: str = "", cofor: str = "",
              screenshot: dict | None = None) -> None:
        """Fill the form; ``screenshot`` is Playwright's file payload (name, mimeType, buffer)."""
        self.subject.select_option(label=subject)
        self.message.fill(message)
        if screenshot:
            self.screenshot.set_input_files(screenshot)
        self.fill_in(last_name=person["last_name"], first_name=person["first_name"], company=person["company"],
                     email=person["email"], phone=person["phone"], identifiant=identifiant, cofor=cofor)
