"""Page objects of the Tec3H simulator (seed 001): one class per screen, locators as attributes,
methods named after what the dealer does. Tests own the assertions."""
from __future__ import annotations

from playwright.sync_api import Download, Locator, Page

from e2e.pages.screen import Screen


class StockPage(Screen):
    """Stock: plate search, filters, sort, paging, Exporter (CSV), Créer un véhicule."""

    path = "/stock"

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.plate_search = page.get_by_role("textbox", name="Immatriculation")
        self.make = page.get_by_role("combobox", name="Marque")
        self.energy = page.get_by_role("combobox", name="Énergie")
        self.km_max = page.get_by_role("textbox", name="Km max")
        self.sort = page.get_by_role("combobox", name="Trier par")
        self.per_page = page.get_by_role("combobox", name="Par page")
        self.filter_button = page.get_by_role("button", name="Filtrer")
        self.columns_button = page.get_by_text("Colonnes", exact=True)
        self.columns = page.get_by_role("group", name="Colonnes affichées et exportées")
        self.export_link = page.get_by_role("link", name="Exporter (CSV)")
        self.new_vehicle_link = page.get_by_role("link", name="Créer un véhicule")
        self.table = page.get_by_role("table", name="Véhicules en stock")
        self.rows = self.data_rows(self.table)
        self.next_page = page.get_by_role("link", name="Suivant >")
        self.count = page.get_by_role("status").filter(has_text="véhicule")


    def search_plate(self, plate: str) -> None:
        self.plate_search.fill(plate)
        self.plate_search.press("Enter")

    def filter(self, make: str | None = None, energy: str | None = None, km_max: str | None = None,
               sort: str | None = None, per_page: str | None = None) -> None:
        """Choose the filters given and click Filtrer."""
        for locator, value in ((self.make, make), (self.energy, energy), (self.sort, sort),
                               (self.per_page, per_page)):
            if value is not None:
                locator.select_option(label=value)
        if km_max is not None:
            self.km_max.fill(km_max)
        self.filter_button.click()

    def choose_columns(self, *headers: str) -> None:
        """Open Colonnes, keep only the columns named ``headers``, then Filtrer."""
        self.columns_button.click()
        for box in self.columns.get_by_role("checkbox").all():
            box.set_checked(False)
        for header in headers:
            self.columns.get_by_label(header, exact=True).check()
        self.filter_button.click()

    def export_csv(self) -> Download:
        with self.page.expect_download() as info:
            self.export_link.click()
        return info.value

    def open_vehicle(self, title: str) -> None:
        self.table.get_by_role("link", name=title).first.click()


class VehicleFormPage(Screen):
    """Création d'un véhicule: Marque*, Énergie*, Mise en circulation*, Année du modèle*, then Modèle*
    and Version* chosen in the referential's suggestions; Equivalence constructeur fills itself."""

    path = "/vehicules/nouveau"

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.make = page.get_by_label("Marque")
        self.energy = page.get_by_label("Énergie")
        self.first_registration = page.get_by_label("Mise en circulation")
        self.model_year = page.get_by_label("Année du modèle")
        self.model = page.get_by_role("combobox", name="Modèle")
        self.version = page.get_by_role("combobox", name="Version")
        self.model_options = page.get_by_role("listbox", name="Modèles proposés").get_by_role("option")
        self.version_options = page.get_by_role("listbox", name="Versions proposées").get_by_role("option")
        self.equivalence = page.get_by_label("Equivalence constructeur")
        self.plate = page.get_by_label("Immatriculation")
        self.vin = page.get_by_label("VIN")
        self.mileage = page.get_by_label("Kilométrage")
        self.price = page.get_by_label("Prix de vente TTC")
        self.save_button = page.get_by_role("button", name="Enregistrer", exact=True)


    def fill_technical(self, make: str, energy: str, first_registration: str, model_year: str) -> None:
        self.make.select_option(label=make)
        self.energy.select_option(label=energy)
        self.first_registration.fill(first_registration)
        self.model_year.fill(model_year)

    def type_model(self, text: str) -> None:
        self.model.fill("")
        self.model.press_sequentially(text)

    def choose_model(self, typed: str, model: str) -> None:
        """Type in Modèle and click the referential's suggestion ``model``."""
        self.type_model(typed)
        self.model_options.filter(has_text=model).first.click()

    def type_version(self, text: str) -> None:
        self.version.fill("")
        self.version.press_sequentially(text)

    def choose_version(self, typed: str, version: str) -> None:
        """Type words in Version ("130 allure") and click the suggestion starting with ``version``."""
        self.type_version(typed)
        self.version_options.filter(has_text=f"{version} - ").first.click()

    def fill_details(self, plate: str, vin: str, mileage: str, price: str) -> None:
        self.plate.fill(plate)
        self.vin.fill(vin)
        self.mileage.fill(mileage)
        self.price.fill(price)

    def save(self) -> None:
        self.save_button.click()


class VehicleCardPage(Screen):
    """Fiche véhicule with its tabs: Fiche, Garantie, Créer une offre (or the order)."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", level=1)
        self.tabs = page.get_by_role("navigation", name="Fiche du véhicule")
        self.warranty_tab = self.tabs.get_by_role("link", name="Garantie")
        self.create_offer_link = self.tabs.get_by_role("link", name="Créer une offre")
        self.contract = page.get_by_text("Garantie Spoticar : contrat N°")
        self.flash = page.get_by_role("status").first

    def create_offer(self) -> None:
        self.create_offer_link.click()

    def open_warranty(self) -> None:
        self.warranty_tab.click()


class CustomerFormPage(Screen):
    """Nouveau client: particulier (Civilité, Nom de naissance, Prénoms…) or pro (Raison sociale)."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.kind = page.get_by_label("Type de client")
        identity = page.get_by_role("group", name="Identité du client")  # not the co-titulaire's block
        self.civility = identity.get_by_label("Civilité")
        self.birth_name = identity.get_by_label("Nom de naissance")
        self.usage_name = identity.get_by_label("Nom d'usage")
        self.first_names = identity.get_by_label("Prénoms")
        self.birth_date = identity.get_by_label("Date de naissance")
        self.birth_city = identity.get_by_label("Ville de naissance")
        self.company = page.get_by_label("Raison sociale")
        self.siret = page.get_by_label("N° Siret")
        self.address = page.get_by_label("Adresse", exact=True)
        self.postcode = page.get_by_label("Code postal")
        self.city = page.get_by_label("Ville", exact=True)
        self.mobile = page.get_by_label("Tel Mobile")
        self.email = page.get_by_label("Email")
        self.save_button = page.get_by_role("button", name="Enregistrer", exact=True)

    def fill_customer(self, customer: dict, pro: bool = False) -> None:
        """Fill from a factory ``customer`` dict; a pro gets Raison sociale and no Nom de naissance."""
        self.kind.select_option(label="Professionnel" if pro else "Particulier")
        self.civility.select_option(value=customer["civility"])
        if not pro:
            self.birth_name.fill(customer["last_name"])
            self.birth_date.fill("/".join(reversed(customer["birth_date"].split("-"))))
            self.birth_city.fill(customer["birth_place"])
        else:
            self.company.fill(customer["company_name"])
            self.siret.fill(customer["siret"])
        self.usage_name.fill(customer["last_name"])
        self.first_names.fill(customer["first_name"])
        self.address.fill(customer["address"])
        self.postcode.fill(customer["postcode"])
        self.city.fill(customer["city"])
        self.mobile.fill(customer["mobile"])
        self.email.fill(customer["email"])

    def save(self) -> None:
        self.save_button.click()


class CustomersPage(Screen):
    """Gestion clients: search, Nouveau Client, the list with Modifier / Supprimer."""

    path = "/clients"

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.search_box = page.get_by_label("Rechercher un client...")
        self.new_customer_link = page.get_by_role("link", name="Nouveau Client")
        self.table = page.get_by_role("table", name="Clients")


    def search(self, text: str) -> None:
        self.search_box.fill(text)
        self.search_box.press("Enter")

    def new_customer(self) -> None:
        self.new_customer_link.click()

    def row(self, text: str) -> Locator:
        return self.table.get_by_role("row").filter(has_text=text)


class OrderPage(Screen):
    """NOUVELLE PROPOSITION / the order: Client*, Statut*, Commercial*, dates, Mode paiement*, Enregistrer."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", level=1)
        self.customer = page.get_by_label("Client", exact=True)
        self.create_customer_link = page.get_by_role("link", name="Créer un client")
        self.status = page.get_by_label("Statut")
        self.seller = page.get_by_label("Commercial")
        self.delivery_date = page.get_by_label("Date de livraison")
        self.sale_date = page.get_by_label("Date de vente")
        self.payment = page.get_by_label("Mode paiement")
        self.total = page.get_by_text("Total TTC :").first
        self.save_button = page.get_by_role("button", name="Enregistrer", exact=True)
        self.price = page.get_by_label("PU TTC du véhicule")
        self.content = page.get_by_role("table", name="Contenu")
        self.reserve_button = page.get_by_role("button", name="Réserver", exact=True)
        self.unreserve_button = page.get_by_role("button", name="Annuler la réservation")
        self.articles = page.get_by_role("group", name="Ajouter un article")
        self.add_article_button = self.articles.get_by_role("button", name="Ajouter", exact=True)

    def reserve(self) -> None:
        self.reserve_button.click()

    def add_article(self, designation: str, reference: str, price: str) -> None:
        """Ajouter: an article line (saved with the order)."""
        self.articles.get_by_label("Désignation de l'article").fill(designation)
        self.articles.get_by_label("Référence de l'article").fill(reference)
        self.articles.get_by_label("PU TTC de l'article").fill(price)
        self.add_article_button.click()

    def create_customer(self) -> None:
        self.create_customer_link.click()

    def make_order(self, sale_date: str, delivery_date: str, payment: str = "Virement",
                   status: str = "Commande") -> None:
        """Set the order's status, dates and payment, then Enregistrer."""
        self.status.select_option(label=status)
        self.sale_date.fill(sale_date)
        self.delivery_date.fill(delivery_date)
        self.payment.select_option(label=payment)
        self.save_button.click()


class SalesPage(Screen):
    """Gestion > Ventes: search, Imprimer (PDF) and Modifier per order."""

    path = "/ventes"

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.search_box = page.get_by_label("Rechercher une commande...")
        self.filter_button = page.get_by_role("button", name="Filtrer")
        self.table = page.get_by_role("table", name="Commandes")


    def search(self, text: str) -> None:
        self.search_box.fill(text)
        self.filter_button.click()

    def row(self, number: str) -> Locator:
        return self.table.get_by_role("row").filter(has_text=number)

    def print_link(self, number: str) -> Locator:
        return self.page.get_by_role("link", name=f"Imprimer la commande {number}")

    def modify(self, number: str) -> None:
        self.page.get_by_role("link", name=f"Modifier la commande {number}").click()
