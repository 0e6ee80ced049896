"""The PVO2 forms on the common form layer: "Libellé : message" lines (the "pvo2" wording), labels
with their " *", ids prefixed per screen."""
from __future__ import annotations

import re

from common.forms import (CheckboxesField, DateField, EmailField, Form, PatternField, PhoneField, PostcodeField,
                          SelectField, SiretField, TextField)
from fixtures import reference
from simulators.pvo2 import euros


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


class ClientForm(PvoForm):
    """The client's identity and address, as Créer une offre à particulier asks for them."""

    civility = SelectField("Civilité", required=True, choices={"M": "Monsieur", "MME": "Madame"}, blank=None)
    last_name = TextField("Nom", required=True)
    first_name = TextField("Prénom", required=True)
    address = TextField("Adresse", required=True)
    postcode = PostcodeField("Code postal", required=True)
    city = TextField("Ville", required=True)
    phone = PhoneField("Téléphone", input_type="tel")
    email = EmailField("Email")


class OfferForm(ClientForm):
    """Créer une offre à particulier: the customer, then the vehicle to sell (``vehicles``)."""

    class Meta:
        id_prefix = "offer-"

    vehicles: list = []
    vehicle_id = SelectField("Véhicule à vendre", required=True, short="Véhicule", only_choices=False,
                             blank="— Choisir un véhicule du stock —",
                             choices=lambda form: [(v.id, f"{v.brand} {v.model} {v.version} — {v.plate} — "
                                                          f"{euros(v.price_ttc)}") for v in form.vehicles])


def _declaration_choices(name: str):
    return lambda form: reference.load("declaration_form")[name]


class CustomerForm(ClientForm):
    """Client → Modifier: the identity plus what the Spoticar declaration asks of the client (état
    civil, FOCUS consent) and the sale's origin, so the hand-off carries them."""

    class Meta:
        id_prefix = "client-"

    birth_name = TextField("Nom de naissance")
    birth_date = DateField("Date de naissance", past=True)
    birth_place = TextField("Lieu de naissance")
    birth_country = TextField("Pays de naissance", max_length=60)
    nationality = TextField("Nationalité", max_length=60)
    residence_country = TextField("Pays de résidence", max_length=60)
    consent = CheckboxesField("Consentement du client (FOCUS)", choices=_declaration_choices("consents"))
    origin = SelectField("Origine de la vente", choices=_declaration_choices("sale_origins"),
                         blank="— Choisir —")


class DeliveryForm(PvoForm):
    """Modification de la date de livraison (the order page)."""

    delivery_date = DateField("Livraison prévue le", required=True, star=False, messages={
        "required": "{label} : date obligatoire au format JJ/MM/AAAA.",
        "date": "{label} : date obligatoire au format JJ/MM/AAAA."})
    delivery_time = PatternField("Heure (facultatif)", short="Heure", hint="HH:MM", max_length=5,
                                 pattern=re.compile(r"([01]?[0-9]|2[0-3]):[0-5][0-9]", re.ASCII),
                                 pattern_message="format HH:MM attendu.")
