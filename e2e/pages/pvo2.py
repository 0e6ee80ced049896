"""Page objects of the PVO2 (Planet VO²) screens (seed 002). Locators as attributes, methods named
after what the user does; no assertions here."""
from __future__ import annotations

import re

from playwright.sync_api import Download, Page

from e2e.pages.screen import Screen


class Pvo2Page(Screen):
    """What every PVO2 screen has: the left menu and the message blocks."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.menu = page.get_by_role("navigation", name="Menu PVO²")

    def go(self, entry: str) -> None:
        """Click a left-menu entry: "Offres et bons de commande", "Stock", "Livraisons", "Paramètres"."""
        self.menu.get_by_role("link", name=entry, exact=True).click()


class SiteIdentityPage(Pvo2Page):
    """Paramètres → Fiche d'identité du site."""

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.rrdi = page.get_by_label("Code RRDI")
        self.siret = page.get_by_label("SIRET *")
        self.save_button = page.get_by_role("button", name="Enregistrer")

    def open(self) -> SiteIdentityPage:
        self.page.goto(f"{self.base_url}/parametres/")
        self.page.get_by_role("link", name="Fiche d'identité du site").click()
        return self

    def set_rrdi(self, rrdi: str) -> None:
        self.rrdi.fill(rrdi)
        self.save_button.click()


class OffersPage(Pvo2Page):
    """Offres et bons de commande: counters, search, Créer une offre à particulier."""

    path = "/offres/"

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.create_button = page.get_by_role("link", name="Créer une offre à particulier")
        self.search_box = page.get_by_label("N°offre, N°BDC, Client, Immat")
        self.bdc_counter = page.get_by_text("BDC en cours (non clos)")


    def create_offer(self) -> None:
        self.create_button.click()


class NewOfferPage(Pvo2Page):
    """Créer une offre à particulier: the customer and the vehicle to sell."""

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.vehicle = page.get_by_label("Véhicule à vendre *")
        self.submit = page.get_by_role("button", name="Créer l'offre")

    def fill_customer(self, customer: dict) -> None:
        """Fill the customer from a factory ``customer()`` dict."""
        page = self.page
        page.get_by_label("Civilité *").select_option(customer["civility"])
        page.get_by_label("Nom *", exact=True).fill(customer["last_name"])
        page.get_by_label("Prénom *").fill(customer["first_name"])
        page.get_by_label("Adresse *").fill(customer["address"])
        page.get_by_label("Code postal *").fill(customer["postcode"])
        page.get_by_label("Ville *").fill(customer["city"])
        page.get_by_label("Téléphone").fill(customer["mobile"])
        page.get_by_label("Email").fill(customer["email"])

    def choose_vehicle(self, plate: str) -> None:
        option = self.vehicle.get_by_role("option").filter(has_text=plate).first
        self.vehicle.select_option(option.get_attribute("value"))

    def create(self, customer: dict, plate: str) -> None:
        self.fill_customer(customer)
        self.choose_vehicle(plate)
        self.submit.click()


class OfferPage(Pvo2Page):
    """Offre à particulier (vente): the Vente and Reprise blocks' buttons, Client Modifiez, Co-titulaire
    Ajoutez, Envoyer, Imprimer, Annuler l'offre, Générer le bon de commande."""

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", name="Offre à particulier (vente)")
        self.generate_button = page.get_by_role("button", name="Générer le bon de commande")
        self.vehicle_card_link = page.get_by_role("link", name="Fiche du véhicule")
        self.sale = page.get_by_role("region", name="Véhicule vendu")
        self.reserve_button = self.sale.get_by_role("button", name="Réserver le véhicule")
        self.unreserve_button = self.sale.get_by_role("button", name="Annuler la réservation")
        self.ds_contact_button = self.sale.get_by_role("button", name="Envoi vers DS contact")
        self.remove_vehicle_button = self.sale.get_by_role("button", name="Supprimer le véhicule")
        self.vehicle_choice = self.sale.get_by_label("Véhicule à vendre *")
        self.add_vehicle_button = self.sale.get_by_role("button", name="Ajouter le véhicule")
        self.trade_ins = page.get_by_role("region", name="Reprise")
        self.trade_in_link = self.trade_ins.get_by_role("link", name="Ajouter un véhicule à reprendre")
        self.customer = page.get_by_role("region", name="Client")
        self.customer_link = self.customer.get_by_role("link", name="Modifiez")
        self.co_holder_link = self.customer.get_by_role("link", name="Ajoutez")
        self.recap = page.get_by_role("region", name="Récapitulatif")
        self.send_button = page.get_by_role("button", name="Envoyer", exact=True)

    def reserve(self) -> None:
        self.reserve_button.click()

    def send_to_ds_contact(self) -> None:
        self.ds_contact_button.click()

    def remove_vehicle(self) -> None:
        self.remove_vehicle_button.click()

    def add_vehicle(self, plate: str) -> None:
        """On an offer without vehicle: choose the stock vehicle ``plate`` and add it."""
        option = self.vehicle_choice.get_by_role("option", name=re.compile(re.escape(plate))).first
        self.vehicle_choice.select_option(option.get_attribute("value"))
        self.add_vehicle_button.click()

    def add_trade_in(self) -> None:
        self.trade_in_link.click()

    def edit_customer(self) -> None:
        self.customer_link.click()

    def add_co_holder(self) -> None:
        self.co_holder_link.click()

    def send(self) -> None:
        self.send_button.click()

    def number(self) -> int:
        """The offer number, read from the address (/offres/<n>)."""
        return int(re.search(r"/offres/([0-9]+)", self.page.url).group(1))

    def generate_bdc(self) -> None:
        self.generate_button.click()

    def open_vehicle_card(self) -> None:
        self.vehicle_card_link.click()


class VehicleCardPage(Pvo2Page):
    """The vehicle card: Label constructeur, Garantie level, Provenance."""

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.label = page.get_by_label("Label constructeur :")
        self.warranty = page.get_by_label("Garantie *")
        self.provenance = page.get_by_label("Provenance *")
        self.save_button = page.get_by_role("button", name="Enregistrer")

    def set_label(self, label: str, level: str) -> None:
        """Choose the label and the warranty level ("" for none) and save."""
        self.label.select_option(label or "")
        self.warranty.select_option(level or "")
        self.save_button.click()

    def set_provenance(self, provenance: str) -> None:
        self.provenance.select_option(provenance)
        self.save_button.click()


class DeliveriesPage(Pvo2Page):
    """Livraisons: one card per bon de commande."""

    path = "/livraisons/"

    def order_card(self, number: int):
        return self.page.get_by_role("article", name=f"Commande n°{number}")

    def open_order(self, number: int) -> None:
        self.order_card(number).get_by_role("link", name=f"Commande n°{number}").click()


class OrderPage(Pvo2Page):
    """Commande N° …: delivery date, Clôturer, Imprimer, Déclaration de garantie."""

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", name=re.compile(r"^Commande N° "))
        self.delivery_date = page.get_by_label("Livraison prévue le")
        self.delivery_time = page.get_by_label("Heure (facultatif)")
        self.save_delivery_button = page.get_by_role("button", name="Enregistrer la livraison")
        self.close_button = page.get_by_role("button", name="Clôturer")
        self.closed = page.get_by_text(re.compile(r"^BDC clôturé le"))
        self.print_link = page.get_by_role("link", name="Imprimer")
        self.garantisseur = page.get_by_label("Garantisseur *")
        self.declare_button = page.get_by_role("button", name="Déclarer")
        self.declaration_status = page.get_by_test_id("declaration-status")
        self.contract_number = page.get_by_test_id("contract-number")
        self.policy_number = page.get_by_test_id("policy-number")
        self.workshop_toggle = page.get_by_text("Renseigner le statut atelier", exact=True)
        self.workshop_status = page.get_by_label("Statut atelier *")
        self.workshop_save = page.get_by_role("button", name="Enregistrer le statut")

    def set_workshop_status(self, status: str) -> None:
        """Renseigner le statut atelier: open it, choose ``status``, save."""
        self.workshop_toggle.click()
        self.workshop_status.select_option(status)
        self.workshop_save.click()

    def open(self, number: int) -> OrderPage:
        self.page.goto(f"{self.base_url}/livraisons/{number}")
        return self

    def set_delivery(self, date: str, time: str = "") -> None:
        self.delivery_date.fill(date)
        self.delivery_time.fill(time)
        self.save_delivery_button.click()

    def close(self) -> None:
        self.close_button.click()

    def declare(self, garantisseur: str = "Déclaration de garantie Spoticar") -> Page:
        """Choose the garantisseur and click Déclarer; the window the declaration opens in."""
        self.garantisseur.select_option(label=garantisseur)
        with self.page.context.expect_page() as info:
            self.declare_button.click()
        popup = info.value
        popup.wait_for_load_state()
        return popup

    def declare_here(self, garantisseur: str = "Déclaration PSA Insurance") -> None:
        """Déclarer for a garantisseur answered in this window (PSA Insurance)."""
        self.garantisseur.select_option(label=garantisseur)
        self.declare_button.click()

    def print_order(self) -> None:
        self.print_link.click()


class PrintDocumentsPage(Pvo2Page):
    """Imprimer des documents: the document per brand, Suivant, the options, Imprimer."""

    def __init__(self, page: Page, base_url: str):
        super().__init__(page, base_url)
        self.company = page.get_by_label("Nom de la société pour l'impression")
        self.next_button = page.get_by_role("button", name="Suivant >")
        self.start = page.get_by_label("Garantie du")
        self.end = page.get_by_label("Garantie au")
        self.warranty_number = page.get_by_label("N° garantie")
        self.print_button = page.get_by_role("button", name="Imprimer")

    def document(self, name: str):
        return self.page.get_by_label(name, exact=True)

    def choose(self, *names: str) -> None:
        """Tick exactly these documents, then Suivant."""
        for box in self.page.get_by_role("checkbox").all():
            box.uncheck()
        for name in names:
            self.document(name).check()
        self.next_button.click()

    def print_pdf(self, warranty_number: str = "") -> Download:
        self.warranty_number.fill(warranty_number)
        with self.page.expect_download() as info:
            self.print_button.click()
        return info.value
