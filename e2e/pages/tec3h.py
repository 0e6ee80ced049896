"""Page objects of the Tec3H simulator (seed 001): one class per screen, locators as attributes,
methods named after what the dealer does. Tests own the assertions."""
from __future__ import annotations

from playwright.sync_api import Download, Locator

from e2e.pages.screen import DataRows, Screen, by_label, by_role, by_text, clicks, exactly


class StockPage(Screen):
    """Stock: plate search, filters, sort, paging, Exporter (CSV), Créer un véhicule."""

    path = "/stock"
    plate_search = by_role("textbox", "Immatriculation")
    make = by_role("combobox", "Marque")
    energy = by_role("combobox", "Énergie")
    km_max = by_role("textbox", "Km max")
    sort = by_role("combobox", "Trier par")
    per_page = by_role("combobox", "Par page")
    filter_button = by_role("button", "Filtrer")
    columns_button = by_text("Colonnes", exact=True)
    columns = by_role("group", "Colonnes affichées et exportées")
    links = {"export_link": "Exporter (CSV)", "new_vehicle_link": "Créer un véhicule", "next_page": "Suivant >"}
    table = by_role("table", "Véhicules en stock")
    rows = DataRows("table")
    count = by_role("status").filter(has_text="véhicule")  # the line counting the vehicles shown

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
        return self.downloaded_by(self.export_link)

    def open_vehicle(self, title: str) -> None:
        self.table.get_by_role("link", name=title).first.click()


class VehicleFormPage(Screen):
    """Création d'un véhicule: Marque*, Énergie*, Mise en circulation*, Année du modèle*, then Modèle*
    and Version* chosen in the referential's suggestions; Equivalence constructeur fills itself."""

    path = "/vehicules/nouveau"
    fields = {
        "make": "Marque",
        "energy": "Énergie",
        "first_registration": "Mise en circulation",
        "model_year": "Année du modèle",
        "equivalence": "Equivalence constructeur",
        "plate": "Immatriculation",
        "vin": "VIN",
        "mileage": "Kilométrage",
        "price": "Prix de vente TTC",
    }
    model = by_role("combobox", "Modèle")
    version = by_role("combobox", "Version")
    model_list = by_role("listbox", "Modèles proposés")
    model_options = by_role("option", within="model_list")
    version_list = by_role("listbox", "Versions proposées")
    version_options = by_role("option", within="version_list")
    save_button = by_role("button", "Enregistrer", exact=True)

    save = clicks("save_button")

    def fill_technical(self, make: str, energy: str, first_registration: str, model_year: str) -> None:
        self.make.select_option(label=make)
        self.energy.select_option(label=energy)
        self.fill_in(first_registration=first_registration, model_year=model_year)

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
        self.fill_in(plate=plate, vin=vin, mileage=mileage, price=price)


class VehicleCardPage(Screen):
    """Fiche véhicule with its tabs: Fiche, Garantie, Créer une offre (or the order)."""

    heading = by_role("heading", level=1)
    tabs = by_role("navigation", "Fiche du véhicule")
    warranty_tab = by_role("link", "Garantie", within="tabs")
    create_offer_link = by_role("link", "Créer une offre", within="tabs")
    contract = by_text("Garantie Spoticar : contrat N°")
    flash = by_role("status").first

    create_offer = clicks("create_offer_link")
    open_warranty = clicks("warranty_tab")


class CustomerFormPage(Screen):
    """Nouveau client: particulier (Civilité, Nom de naissance, Prénoms…) or pro (Raison sociale)."""

    identity = by_role("group", "Identité du client")  # not the co-titulaire's block
    fields = {
        "kind": "Type de client",
        "civility": by_label("Civilité", within="identity"),
        "birth_name": by_label("Nom de naissance", within="identity"),
        "usage_name": by_label("Nom d'usage", within="identity"),
        "first_names": by_label("Prénoms", within="identity"),
        "birth_date": by_label("Date de naissance", within="identity"),
        "birth_city": by_label("Ville de naissance", within="identity"),
        "company": "Raison sociale",
        "siret": "N° Siret",
        "address": exactly("Adresse"),
        "postcode": "Code postal",
        "city": exactly("Ville"),
        "mobile": "Tel Mobile",
        "email": "Email",
    }
    save_button = by_role("button", "Enregistrer", exact=True)

    save = clicks("save_button")

    def fill_customer(self, customer: dict, pro: bool = False) -> None:
        """Fill from a factory ``customer`` dict; a pro gets Raison sociale and no Nom de naissance."""
        self.kind.select_option(label="Professionnel" if pro else "Particulier")
        self.civility.select_option(value=customer["civility"])
        if not pro:
            self.fill_in(birth_name=customer["last_name"], birth_city=customer["birth_place"],
                         birth_date="/".join(reversed(customer["birth_date"].split("-"))))
        else:
            self.fill_in(company=customer["company_name"], siret=customer["siret"])
        self.fill_in(usage_name=customer["last_name"], first_names=customer["first_name"],
                     address=customer["address"], postcode=customer["postcode"], city=customer["city"],
                     mobile=customer["mobile"], email=customer["email"])


class CustomersPage(Screen):
    """Gestion clients: search, Nouveau Client, the list with Modifier / Supprimer."""

    path = "/clients"
    search_box = by_label("Rechercher un client...")
    new_customer_link = by_role("link", "Nouveau Client")
    table = by_role("table", "Clients")

    new_customer = clicks("new_customer_link")

    def search(self, text: str) -> None:
        self.search_box.fill(text)
        self.search_box.press("Enter")

    def row(self, text: str) -> Locator:
        return self.table.get_by_role("row").filter(has_text=text)


class OrderPage(Screen):
    """NOUVELLE PROPOSITION / the order: Client*, Statut*, Commercial*, dates, Mode paiement*, Enregistrer."""

    heading = by_role("heading", level=1)
    fields = {
        "customer": exactly("Client"),
        "status": "Statut",
        "seller": "Commercial",
        "delivery_date": "Date de livraison",
        "sale_date": "Date de vente",
        "payment": "Mode paiement",
        "price": "PU TTC du véhicule",
        "article_designation": by_label("Désignation de l'article", within="articles"),
        "article_reference": by_label("Référence de l'article", within="articles"),
        "article_price": by_label("PU TTC de l'article", within="articles"),
    }
    create_customer_link = by_role("link", "Créer un client")
    save_button = by_role("button", "Enregistrer", exact=True)
    content = by_role("table", "Contenu")
    reserve_button = by_role("button", "Réserver", exact=True)
    unreserve_button = by_role("button", "Annuler la réservation")
    articles = by_role("group", "Ajouter un article")
    add_article_button = by_role("button", "Ajouter", within="articles", exact=True)
    total = by_text("Total TTC :").first

    reserve = clicks("reserve_button")
    create_customer = clicks("create_customer_link")

    def add_article(self, designation: str, reference: str, price: str) -> None:
        """Ajouter: an article line (saved with the order)."""
        self.fill_and_click(self.add_article_button, article_designation=designation,
                            article_reference=reference, article_price=price)

    def make_order(self, sale_date: str, delivery_date: str, payment: str = "Virement",
                   status: str = "Commande") -> None:
        """Set the order's status, dates and payment, then Enregistrer."""
        self.status.select_option(label=status)
        self.fill_in(sale_date=sale_date, delivery_date=delivery_date)
        self.payment.select_option(label=payment)
        self.save_button.click()


class SalesPage(Screen):
    """Gestion > Ventes: search, Imprimer (PDF) and Modifier per order."""

    path = "/ventes"
    search_box = by_label("Rechercher une commande...")
    filter_button = by_role("button", "Filtrer")
    table = by_role("table", "Commandes")

    def search(self, text: str) -> None:
        self.fill_and_click(self.filter_button, search_box=text)

    def row(self, number: str) -> Locator:
        return self.table.get_by_role("row").filter(has_text=number)

    def print_link(self, number: str) -> Locator:
        return self.page.get_by_role("link", name=f"Imprimer la commande {number}")

    def modify(self, number: str) -> None:
        self.page.get_by_role("link", name=f"Modifier la commande {number}").click()
