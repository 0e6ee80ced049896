"""Page objects of the PVO2 (Planet VO²) screens (seed 002). Locators as attributes, methods named
after what the user does; no assertions here."""
from __future__ import annotations

import re

from playwright.sync_api import Download, Page

from e2e.pages.screen import Screen, by_label, by_role, by_test_id, by_text, clicks, exactly


class Pvo2Page(Screen):
    """What every PVO2 screen has: the left menu and the message blocks."""

    menu = by_role("navigation", "Menu PVO²")

    def go(self, entry: str) -> None:
        """Click a left-menu entry: "Offres et bons de commande", "Stock", "Livraisons", "Paramètres"."""
        self.navigated_by(self.menu.get_by_role("link", name=entry, exact=True))


class SiteIdentityPage(Pvo2Page):
    """Paramètres → Fiche d'identité du site."""

    fields = {"rrdi": "Code RRDI", "siret": "SIRET *"}
    save_button = by_role("button", "Enregistrer")

    def open(self) -> SiteIdentityPage:
        self.goto("/parametres/")
        self.page.get_by_role("link", name="Fiche d'identité du site").click()
        return self

    def set_rrdi(self, rrdi: str) -> None:
        self.fill_and_click(self.save_button, rrdi=rrdi)


class OffersPage(Pvo2Page):
    """Offres et bons de commande: counters, search, Créer une offre à particulier."""

    path = "/offres/"
    create_button = by_role("link", "Créer une offre à particulier")
    search_box = by_label("N°offre, N°BDC, Client, Immat")
    bdc_counter = by_text("BDC en cours (non clos)")

    create_offer = clicks("create_button")


class NewOfferPage(Pvo2Page):
    """Créer une offre à particulier: the customer and the vehicle to sell."""

    fields = {
        "vehicle": "Véhicule à vendre *",
        "civility": "Civilité *",
        "last_name": exactly("Nom *"),
        "first_name": "Prénom *",
        "address": "Adresse *",
        "postcode": "Code postal *",
        "city": "Ville *",
        "phone": "Téléphone",
        "email": "Email",
    }
    submit = by_role("button", "Créer l'offre")

    def fill_customer(self, customer: dict) -> None:
        """Fill the customer from a factory ``customer()`` dict."""
        self.civility.select_option(customer["civility"])
        self.fill_in(last_name=customer["last_name"], first_name=customer["first_name"],
                     address=customer["address"], postcode=customer["postcode"], city=customer["city"],
                     phone=customer["mobile"], email=customer["email"])

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

    heading = by_role("heading", "Offre à particulier (vente)")
    vehicle_card_link = by_role("link", "Fiche du véhicule")
    generate_button = by_role("button", "Générer le bon de commande")
    regions = {"sale": "Véhicule vendu", "trade_ins": "Reprise", "customer": "Client", "recap": "Récapitulatif"}
    reserve_button = by_role("button", "Réserver le véhicule", within="sale")
    unreserve_button = by_role("button", "Annuler la réservation", within="sale")
    ds_contact_button = by_role("button", "Envoi vers DS contact", within="sale")
    remove_vehicle_button = by_role("button", "Supprimer le véhicule", within="sale")
    vehicle_choice = by_label("Véhicule à vendre *", within="sale")
    add_vehicle_button = by_role("button", "Ajouter le véhicule", within="sale")
    trade_in_link = by_role("link", "Ajouter un véhicule à reprendre", within="trade_ins")
    customer_link = by_role("link", "Modifiez", within="customer")
    co_holder_link = by_role("link", "Ajoutez", within="customer")
    send_button = by_role("button", "Envoyer", exact=True)

    reserve = clicks("reserve_button")
    send_to_ds_contact = clicks("ds_contact_button")
    remove_vehicle = clicks("remove_vehicle_button")
    add_trade_in = clicks("trade_in_link")
    edit_customer = clicks("customer_link")
    add_co_holder = clicks("co_holder_link")
    send = clicks("send_button")
    generate_bdc = clicks("generate_button")
    open_vehicle_card = clicks("vehicle_card_link")

    def add_vehicle(self, plate: str) -> None:
        """On an offer without vehicle: choose the stock vehicle ``plate`` and add it."""
        option = self.vehicle_choice.get_by_role("option", name=re.compile(re.escape(plate))).first
        self.vehicle_choice.select_option(option.get_attribute("value"))
        self.add_vehicle_button.click()

    def number(self) -> int:
        """The offer number, read from the address (/offres/<n>)."""
        return int(re.search(r"/offres/([0-9]+)", self.page.url).group(1))


class VehicleCardPage(Pvo2Page):
    """The vehicle card: Label constructeur, Garantie level, Provenance."""

    fields = {"label": "Label constructeur :", "warranty": "Garantie *", "provenance": "Provenance *"}
    save_button = by_role("button", "Enregistrer")

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

    heading = by_role("heading", re.compile(r"^Commande N° "))
    fields = {
        "delivery_date": "Livraison prévue le",
        "delivery_time": "Heure (facultatif)",
        "garantisseur": "Garantisseur *",
        "workshop_status": "Statut atelier *",
    }
    buttons = {
        "save_delivery_button": "Enregistrer la livraison",
        "close_button": "Clôturer",
        "declare_button": "Déclarer",
        "workshop_save": "Enregistrer le statut",
    }
    closed = by_text(re.compile(r"^BDC clôturé le"))
    print_link = by_role("link", "Imprimer")
    declaration_status = by_test_id("declaration-status")
    contract_number = by_test_id("contract-number")
    policy_number = by_test_id("policy-number")
    workshop_toggle = by_text("Renseigner le statut atelier", exact=True)

    close = clicks("close_button")
    print_order = clicks("print_link")

    def set_workshop_status(self, status: str) -> None:
        """Renseigner le statut atelier: open it, choose ``status``, save."""
        self.workshop_toggle.click()
        self.workshop_status.select_option(status)
        self.workshop_save.click()

    def open(self, number: int) -> OrderPage:
        self.goto(f"/livraisons/{number}")
        return self

    def set_delivery(self, date: str, time: str = "") -> None:
        self.fill_and_click(self.save_delivery_button, delivery_date=date, delivery_time=time)

    def declare(self, garantisseur: str = "Déclaration de garantie Spoticar") -> Page:
        """Choose the garantisseur and click Déclarer; the window the declaration opens in."""
        self.garantisseur.select_option(label=garantisseur)
        return self.opened_by(self.declare_button)

    def declare_here(self, garantisseur: str = "Déclaration PSA Insurance") -> None:
        """Déclarer for a garantisseur answered in this window (PSA Insurance)."""
        self.garantisseur.select_option(label=garantisseur)
        self.declare_button.click()


class PrintDocumentsPage(Pvo2Page):
    """Imprimer des documents: the document per brand, Suivant, the options, Imprimer."""

    fields = {
        "company": "Nom de la société pour l'impression",
        "start": "Garantie du",
        "end": "Garantie au",
        "warranty_number": "N° garantie",
    }
    buttons = {"next_button": "Suivant >", "print_button": "Imprimer"}

    def choose(self, *names: str) -> None:
        """Tick exactly these documents, then Suivant."""
        for box in self.page.get_by_role("checkbox").all():
            box.uncheck()
        for name in names:
            self.field(name).check()
        self.next_button.click()

    def print_pdf(self, warranty_number: str = "") -> Download:
        self.warranty_number.fill(warranty_number)
        return self.downloaded_by(self.print_button)
