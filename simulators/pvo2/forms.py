"""The PVO2 forms on the common form layer: "Libellé : message" lines (the "pvo2" wording), labels
with their " *", ids prefixed per screen."""
from __future__ import annotations

import re

from common.forms import (CheckboxesField, DateField, EmailField, Form, IntegerField, MoneyField, PatternField,
                          PhoneField, PlateField, PostcodeField, SelectField, SiretField, TextAreaField, TextField)
from fixtures import reference
from simulators.pvo2 import context, euros


def _upper(value: str) -> str:
    return value.upper()


class PvoForm(Form):
    class Meta:
        wording = "pvo2"
        required_mark = "label"


class SiteForm(PvoForm):
    """Paramètres → Fiche d'identité du site (the Code RRDI is what a Spoticar declaration needs)."""

    class Meta:
        id_prefix = "site-"

    code = TextField("Code", required=True)
    manufacturer_code = TextField("Code constructeur")
    label = TextField("Libellé", required=True)
    company_name = TextField("Raison sociale", required=True)
    siret = SiretField("SIRET", required=True)
    ape = TextField("N° APE", required=True)
    capital = PatternField("Capital", required=True, max_length=12, pattern=re.compile(r"[0-9]{1,12}"),
                           pattern_message="Le capital doit être un nombre entier.")
    company_type = TextField("Type société", required=True)
    rrdi = PatternField("Code RRDI", max_length=10, pattern=re.compile(r"[0-9A-Z]{7}"), clean=_upper,
                        pattern_message="Le code RRDI doit comporter 7 caractères (ex. FR10350).")
    address = TextField("Adresse")
    postcode = PostcodeField("Code postal")
    city = TextField("Ville")
    brands = TextField("Ajoutez les marques représentées", max_length=200)

    def stored(self) -> dict[str, str]:
        """The site's columns: text, "" for an empty optional field."""
        return {name: "" if value is None else str(value) for name, value in self.values().items()}


CIVILITIES = {"M": "Monsieur", "MME": "Madame"}


class PersonForm(PvoForm):
    """Who a person is: the customer's and the co-titulaire's first fields."""

    civility = SelectField("Civilité", required=True, choices=CIVILITIES, blank=None)
    last_name = TextField("Nom", required=True)
    first_name = TextField("Prénom", required=True)


class CustomerForm(PersonForm):
    """The customer of an offer: Créer une offre à particulier, then Client Modifiez."""

    class Meta:
        id_prefix = "customer-"

    address = TextField("Adresse", required=True)
    postcode = PostcodeField("Code postal", required=True)
    city = TextField("Ville", required=True)
    phone = PhoneField("Téléphone", input_type="tel")
    email = EmailField("Email")

    def stored(self) -> dict:
        """The customer's columns ("" for an empty optional field)."""
        values = self.values()
        return {name: values[name] or "" for name in ("civility", "last_name", "first_name", "address",
                                                      "postcode", "city", "phone", "email")}


def _declaration_choices(name: str):
    return lambda form: reference.load("declaration_form")[name]


class ClientForm(CustomerForm):
    """Client Modifiez: the customer plus what the Spoticar declaration asks of the client (état civil,
    FOCUS consent) and the sale's origin, so the hand-off carries them."""

    class Meta:
        id_prefix = "customer-"

    STORED = ("civility", "last_name", "first_name", "address", "postcode", "city", "phone", "email", "birth_name",
              "birth_date", "birth_place", "birth_country", "nationality", "residence_country")
    birth_name = TextField("Nom de naissance")
    birth_date = DateField("Date de naissance", past=True)
    birth_place = TextField("Lieu de naissance")
    birth_country = TextField("Pays de naissance", max_length=60)
    nationality = TextField("Nationalité", max_length=60)
    residence_country = TextField("Pays de résidence", max_length=60)
    consent = CheckboxesField("Consentement du client (FOCUS)", choices=_declaration_choices("consents"))
    origin = SelectField("Origine de la vente", choices=_declaration_choices("sale_origins"), blank="— Choisir —")

    def stored(self) -> dict:
        """The customer's columns (the order's origin apart: ``origin``)."""
        values = self.values()
        extra = {name: values[name] or "" for name in ("birth_name", "birth_place", "birth_country", "nationality",
                                                       "residence_country")}
        return {**super().stored(), **extra, "birth_date": values["birth_date"], "consent": values["consent"] or []}


class VehicleChoiceForm(PvoForm):
    """The vehicle to sell, among ``vehicles`` (those for sale)."""

    class Meta:
        id_prefix = "offer-"

    vehicles: list = []
    vehicle_id = SelectField("Véhicule à vendre", required=True, short="Véhicule", only_choices=False,
                             blank="— Choisir un véhicule du stock —",
                             choices=lambda form: [(v.id, f"{v.brand} {v.model} {v.version} — {v.plate} — "
                                                          f"{euros(v.price_ttc)}") for v in form.vehicles])


class OfferForm(CustomerForm, VehicleChoiceForm):
    """Créer une offre à particulier: the customer, then the vehicle to sell (``vehicles``)."""

    class Meta:
        id_prefix = "offer-"


class TradeInForm(PvoForm):
    """Ajouter un véhicule à reprendre: the customer's vehicle and what it is taken back for."""

    class Meta:
        id_prefix = "trade-in-"

    plate = PlateField("Immatriculation", required=True)
    brand = TextField("Marque", required=True, max_length=40)
    model = TextField("Modèle", required=True, max_length=80)
    first_registration = DateField("Date de MEC", past=True)
    mileage_km = IntegerField("Kilométrage", required=True, min=0, max=2_000_000)
    value_ttc = MoneyField("Valeur de reprise (TTC)", required=True, short="Valeur de reprise", max=1_000_000)


class CoHolderForm(PersonForm):
    """Co-titulaire Ajoutez: the second holder of the registration."""

    class Meta:
        id_prefix = "co-holder-"

    birth_date = DateField("Date de naissance", past=True)
    phone = PhoneField("Téléphone", input_type="tel")


class DeliveryForm(PvoForm):
    """Modification de la date de livraison (the order page)."""

    delivery_date = DateField("Livraison prévue le", required=True, star=False, messages={
        "required": "{label} : date obligatoire au format JJ/MM/AAAA.",
        "date": "{label} : date obligatoire au format JJ/MM/AAAA."})
    delivery_time = PatternField("Heure (facultatif)", short="Heure", hint="HH:MM", max_length=5,
                                 pattern=re.compile(r"([01]?[0-9]|2[0-3]):[0-5][0-9]", re.ASCII),
                                 pattern_message="format HH:MM attendu.")


def _unknown(label: str, what: str = "valeur inconnue") -> dict[str, str]:
    return {"choice": f"{label} : {what}."}


class VehicleCardForm(PvoForm):
    """Informations véhicule: what the card lets the user change (label and level must match)."""

    provenance = SelectField("Provenance", required=True, blank=None, messages={
        **_unknown("Provenance"), "required": "Provenance : valeur inconnue."},
        choices=lambda form: list(reference.load("pvo2_demo")["provenances"]))
    plate = PlateField("Immatriculation", required=True, max_length=20)
    ptac_kg = IntegerField("PTAC (kg)", min=300, max=60_000)
    # corrected before the declaration; left out of a post, the card keeps its mileage
    mileage_km = IntegerField("Kilométrage compteur", min=0, max=2_000_000)
    warranty_level = SelectField("Garantie", star=True, blank="—", grouped=True,
                                 choices=lambda form: context.warranty_levels(),
                                 messages=_unknown("Garantie", "niveau de garantie inconnu"))
    label = SelectField("Label constructeur :", short="Label constructeur", blank="—",
                        choices=lambda form: list(context.warranty_levels()),
                        messages=_unknown("Label constructeur"))

    def check(self) -> bool:
        """The fields, then a level offered under another label than the one chosen."""
        self.validate()
        label, level = self.label.value, self.warranty_level.value
        levels = context.warranty_levels()
        if label and level and level not in levels.get(label, ()):
            self.add_error("warranty_level", f"Garantie : le niveau « {level} » ne correspond pas au label {label}.")
        return not self.error_list


class CommentForm(PvoForm):
    """Commentaire … Ajouter, on an offer or its bon de commande; « Copier... » fills in the last one."""

    comment = TextAreaField("Nouveau commentaire (Copier... reprend le dernier)", short="Commentaire",
                         required=True, star=False, max_length=500,
                         messages={"required": "{label} : saisissez un texte."})

    @classmethod
    def shown(cls, order, copy: bool = False) -> CommentForm:
        """The empty box of ``order``'s page, or its last comment when « Copier... » was clicked."""
        return cls(formdata=None, data={"comment": (order.comments or [""])[-1] if copy else ""})


GARANTISSEURS = {"spoticar": "Déclaration de garantie Spoticar", "psa_insurance": "Déclaration PSA Insurance"}


class DeclareForm(PvoForm):
    """Déclarer a clôturé bon de commande with the chosen garantisseur."""

    garantisseur = SelectField("Garantisseur", required=True, choices=GARANTISSEURS, blank=None, messages={
        "required": "Garantisseur : choisissez un garantisseur.", "choice": "Garantisseur : choisissez un garantisseur."})


WORKSHOP_STATES = ("À préparer", "En préparation", "Prêt à livrer")


class WorkshopForm(PvoForm):
    """Renseigner le statut atelier: where the workshop is with the vehicle sold."""

    class Meta:
        id_prefix = "workshop-"

    status = SelectField("Statut atelier", required=True, choices=WORKSHOP_STATES, blank=None)


class StockSearchForm(PvoForm):
    """Stock → Rechercher (read from the query string)."""

    class Meta:
        id_prefix = "stock-"

    q = TextField("Rechercher (immatriculation, n° de police, modèle)", short="Rechercher", max_length=60)
