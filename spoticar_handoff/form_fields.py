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
    F("ptac_kg", "PTAC (kg)", "vehicle.ptac_kg"),
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


DEFAULT_MAX_DAYS_AFTER_DELIVERY = 30  # a sale is declared within this many days of its delivery (rule 4)


def _iso_date(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None  # a malformed date is reported by the form's own check, not here


def warranty_date_problems(dates: dict, max_days: int = DEFAULT_MAX_DAYS_AFTER_DELIVERY,
                           today: dt.date | None = None) -> list[tuple[str, str]]:
    """Rule 4, warranty dates that make sense: (form field name, French message) when the warranty
    starts before the sale, or the sale was delivered more than ``max_days`` days ago (too late to
    declare). ``dates`` holds ISO strings under ``sale_date``, ``start_date``, ``delivery_date``."""
    today = today or dt.date.today()
    sold, start, delivered = (_iso_date(dates.get(n)) for n in ("sale_date", "start_date", "delivery_date"))
    problems = []
    if sold and start and start < sold:
        problems.append(("start_date", "La date de début de garantie ne peut pas précéder la date de la vente "
                                       f"({sold:%d/%m/%Y})"))
    if delivered and (today - delivered).days > max_days:
        problems.append(("delivery_date", f"La vente a été livrée le {delivered:%d/%m/%Y}, il y a plus de "
                                          f"{max_days} jours : la garantie doit être déclarée dans les "
                                          f"{max_days} jours suivant la livraison"))
    return problems
