"""The declaration form (2/3) of the centralisateur as a DMS sees it: each field's label (as seed 000
shows it, "*" when required), where the hand-off pre-fills it from, and the format check the form
applies. The hand-off's ``warnings`` name these labels, so a DMS knows which field of the form a value
will block. The centralisateur's form (``centralisateur.form``) has the same fields; a test keeps them
equal.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from spoticar_handoff import fields


@dataclass(frozen=True)
class FormField:
    """One field of form 2/3."""
    name: str
    label: str                          # as on screen, asterisk included
    source: str | None                  # dotted path in the hand-off payload (None: the form computes it)
    check: Callable[[str], str] | None = None  # the spoticar_handoff.fields check the form applies

    @property
    def required(self) -> bool:
        """The dealer cannot declare while it is empty."""
        return self.label.endswith("*")


F = FormField
FIELDS: tuple[FormField, ...] = (
    F("seller", "Vendeur véhicule d'occasion*", "seller"),
    F("origin", "Origine de la vente*", "sale.origin"),
    F("consent", "Consentement du client (FOCUS)*", "customer.consent"),
    F("civility", "Civilité*", "customer.civility"),
    F("last_name", "Nom*", "customer.last_name"),
    F("first_name", "Prénom*", "customer.first_name"),
    F("email", "Email", "customer.email", fields.check_email),
    F("phone", "Tel. Fixe", "customer.phone", fields.normalize_phone),
    F("mobile", "Tel. Mobile", "customer.mobile", fields.normalize_phone),
    F("address", "Adresse*", "customer.address"),
    F("address2", "Complément adresse 1", "customer.address2"),
    F("address3", "Complément adresse 2", "customer.address3"),
    F("postcode", "Code Postal*", "customer.postcode", fields.check_postcode),
    F("city", "Ville*", "customer.city"),
    F("birth_name", "Nom de Naissance", "customer.birth_name"),
    F("birth_date", "Date de Naissance*", "customer.birth_date"),
    F("birth_place", "Lieu de Naissance*", "customer.birth_place"),
    F("residence_country", "Pays de résidence*", "customer.residence_country"),
    F("nationality", "Nationalité*", "customer.nationality"),
    F("birth_country", "Pays de Naissance*", "customer.birth_country"),
    F("kind", "Type véhicule*", "vehicle.kind"),
    F("registration_card_type", "Type carte grise", "vehicle.registration_card_type"),
    F("energy", "Energie*", "vehicle.energy"),
    F("fiscal_power", "Puissance Fiscale", "vehicle.fiscal_power"),
    F("kw_power", "Puissance KW", "vehicle.kw_power"),
    F("four_wheel_drive", "4x4", "vehicle.four_wheel_drive"),
    F("manufacturer_warranty_end", "Date fin gtie constructeur*", "vehicle.manufacturer_warranty_end"),
    F("plate", "Immatriculation*", "vehicle.plate", fields.normalize_plate),
    F("first_registration", "Date première immat.*", "vehicle.first_registration"),
    F("displacement_cc", "Cylindrée", "vehicle.displacement_cc"),
    F("din_power", "Puissance Din*", "vehicle.din_power"),
    F("mileage_km", "Km jour de la vente*", "vehicle.mileage_km"),
    F("delivery_date", "Date de livraison*", "sale.delivery_date"),
    F("manufacturer_warranty_km", "Km gtie constructeur*", "vehicle.manufacturer_warranty_km"),
    F("brand", "Marque*", "vehicle.brand"),
    F("model", "Modèle véhicule*", "vehicle.model"),
    F("version", "Version*", "vehicle.version"),
    F("vin", "VIN*", "vehicle.vin", fields.normalize_vin),
    F("price_ttc", "Prix de vente", "sale.price_ttc"),
    F("trade_in_value", "Valeur de reprise", "sale.trade_in_value"),
    F("market_value", "Côte du véhicule", "vehicle.market_value"),
    F("product", "Garantie*", "warranty.product"),
    F("duration_months", "Durée*", "warranty.duration_months"),
    F("start_date", "Date début de garantie*", "warranty.start_date"),
    F("end_date", "Date fin de garantie*", None),
    F("loyalty_product", "Produit fidélisation*", "warranty.loyalty_product"),
)
BY_NAME = {f.name: f for f in FIELDS}


def dig(payload: dict, path: str):
    """The value at ``path`` ("vehicle.plate") of a hand-off payload, None when absent."""
    value = payload
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


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
