"""The declaration form (2/3) of the centralisateur, as seed 000 shows it: each field's label, where
the hand-off pre-fills it from, and its format check.

A label ending in "*" is required: the dealer cannot declare until it is filled. The hand-off's
``warnings`` name these labels, so a DMS knows which field of the form a value will block.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spoticar_handoff import fields


@dataclass(frozen=True)
class Field:
    """One field of form 2/3."""
    name: str
    label: str                 # as on screen, asterisk included
    section: str               # top | client | vehicle | warranty
    kind: str = "text"         # text | date | int | money | select | checkboxes | checkbox
    source: str | None = None  # dotted path in the hand-off payload
    check: object = None       # a spoticar_handoff.fields normaliser/check for the format
    max_length: int = 120

    @property
    def required(self) -> bool:
        return self.label.endswith("*")

    @property
    def plain_label(self) -> str:
        return self.label.rstrip("*").strip()


F = Field
FIELDS: tuple[Field, ...] = (
    F("seller", "Vendeur véhicule d'occasion*", "top", source="seller", max_length=80),
    F("origin", "Origine de la vente*", "top", "select", "sale.origin"),
    F("consent", "Consentement du client (FOCUS)*", "top", "checkboxes", "customer.consent"),
    F("civility", "Civilité*", "client", "select", "customer.civility"),
    F("last_name", "Nom*", "client", source="customer.last_name", max_length=80),
    F("first_name", "Prénom*", "client", source="customer.first_name", max_length=80),
    F("email", "Email", "client", source="customer.email", check=fields.check_email, max_length=254),
    F("phone", "Tel. Fixe", "client", source="customer.phone", check=fields.normalize_phone),
    F("mobile", "Tel. Mobile", "client", source="customer.mobile", check=fields.normalize_phone),
    F("address", "Adresse*", "client", source="customer.address"),
    F("address2", "Complément adresse 1", "client", source="customer.address2"),
    F("address3", "Complément adresse 2", "client", source="customer.address3"),
    F("postcode", "Code Postal*", "client", source="customer.postcode", check=fields.check_postcode),
    F("city", "Ville*", "client", source="customer.city", max_length=80),
    F("birth_name", "Nom de Naissance", "client", source="customer.birth_name", max_length=80),
    F("birth_date", "Date de Naissance*", "client", "date", "customer.birth_date"),
    F("birth_place", "Lieu de Naissance*", "client", source="customer.birth_place", max_length=80),
    F("residence_country", "Pays de résidence*", "client", source="customer.residence_country", max_length=80),
    F("nationality", "Nationalité*", "client", source="customer.nationality", max_length=80),
    F("birth_country", "Pays de Naissance*", "client", source="customer.birth_country", max_length=80),
    F("kind", "Type véhicule*", "vehicle", "select", "vehicle.kind"),
    F("registration_card_type", "Type carte grise", "vehicle", source="vehicle.registration_card_type",
      max_length=80),
    F("energy", "Energie*", "vehicle", "select", "vehicle.energy"),
    F("fiscal_power", "Puissance Fiscale", "vehicle", "int", "vehicle.fiscal_power"),
    F("kw_power", "Puissance KW", "vehicle", "int", "vehicle.kw_power"),
    F("four_wheel_drive", "4x4", "vehicle", "checkbox", "vehicle.four_wheel_drive"),
    F("manufacturer_warranty_end", "Date fin gtie constructeur*", "vehicle", "date",
      "vehicle.manufacturer_warranty_end"),
    F("plate", "Immatriculation*", "vehicle", source="vehicle.plate", check=fields.normalize_plate),
    F("first_registration", "Date première immat.*", "vehicle", "date", "vehicle.first_registration"),
    F("displacement_cc", "Cylindrée", "vehicle", "int", "vehicle.displacement_cc"),
    F("din_power", "Puissance Din*", "vehicle", "int", "vehicle.din_power"),
    F("mileage_km", "Km jour de la vente*", "vehicle", "int", "vehicle.mileage_km"),
    F("delivery_date", "Date de livraison*", "vehicle", "date", "sale.delivery_date"),
    F("manufacturer_warranty_km", "Km gtie constructeur*", "vehicle", "int", "vehicle.manufacturer_warranty_km"),
    F("brand", "Marque*", "vehicle", source="vehicle.brand", max_length=80),
    F("model", "Modèle véhicule*", "vehicle", source="vehicle.model", max_length=80),
    F("version", "Version*", "vehicle", source="vehicle.version"),
    F("vin", "VIN*", "vehicle", source="vehicle.vin", check=fields.normalize_vin),
    F("price_ttc", "Prix de vente", "vehicle", "money", "sale.price_ttc"),
    F("trade_in_value", "Valeur de reprise", "vehicle", "money", "sale.trade_in_value"),
    F("market_value", "Côte du véhicule", "vehicle", "money", "vehicle.market_value"),
    F("product", "Garantie*", "warranty", "select", "warranty.product"),
    F("duration_months", "Durée*", "warranty", "select", "warranty.duration_months"),
    F("start_date", "Date début de garantie*", "warranty", "date", "warranty.start_date"),
    F("end_date", "Date fin de garantie*", "warranty", "date"),
    F("loyalty_product", "Produit fidélisation*", "warranty", "select", "warranty.loyalty_product"),
)
BY_NAME = {f.name: f for f in FIELDS}


def by_source() -> dict[str, Field]:
    """Hand-off path ("vehicle.plate") → the form field it pre-fills."""
    return {f.source: f for f in FIELDS if f.source}


DEFAULTS = {"loyalty_product": "Aucun"}  # what the form shows when the hand-off leaves a field blank


def date_problems(dates: dict) -> list[tuple[str, str]]:
    """(form field name, French message) for dates that contradict each other. ``dates`` holds ISO
    strings (or None) under the form's names, plus ``sale_date``; absent ones are not compared."""
    get = lambda name: dates.get(name) or None  # noqa: E731
    problems = []
    if get("sale_date") and get("delivery_date") and get("delivery_date") < get("sale_date"):
        problems.append(("delivery_date", "La date de livraison ne peut pas précéder la date de vente"))
    if get("first_registration") and get("delivery_date") and get("first_registration") > get("delivery_date"):
        problems.append(("first_registration", "La date de première immatriculation ne peut pas être "
                                               "postérieure à la date de livraison"))
    if get("birth_date") and get("birth_date") >= dt.date.today().isoformat():
        problems.append(("birth_date", "La date de naissance doit être passée"))
    return problems
