"""The declaration form (2/3): its fields as seed 000 shows them, pre-fill from the hand-off, checks.

One table of fields drives the template, the pre-fill and the validation, so a label can only be
written once. Messages: "Le champ <label> est obligatoire" for a missing value (seed 000), a line of
its own for a format or eligibility error.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic_core import PydanticCustomError

from centralisateur import contract, rules
from common.dates import add_months, fr_date, parse_fr_date
from common.parsing import ParseError, parse_date, parse_decimal, parse_int
from fixtures import reference


@dataclass(frozen=True)
class Field:
    name: str
    label: str                 # as on screen, asterisk included
    section: str               # top | client | vehicle | warranty
    kind: str = "text"         # text | date | int | money | select | checkboxes | checkbox
    source: str | None = None  # dotted path in the hand-off payload
    check: object = None       # a contract.normalize_*/check_* function for the format
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
    F("email", "Email", "client", source="customer.email", check=contract.check_email, max_length=254),
    F("phone", "Tel. Fixe", "client", source="customer.phone", check=contract.normalize_phone),
    F("mobile", "Tel. Mobile", "client", source="customer.mobile", check=contract.normalize_phone),
    F("address", "Adresse*", "client", source="customer.address"),
    F("address2", "Complément adresse 1", "client", source="customer.address2"),
    F("address3", "Complément adresse 2", "client", source="customer.address3"),
    F("postcode", "Code Postal*", "client", source="customer.postcode", check=contract.check_postcode),
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
    F("plate", "Immatriculation*", "vehicle", source="vehicle.plate", check=contract.normalize_plate),
    F("first_registration", "Date première immat.*", "vehicle", "date", "vehicle.first_registration"),
    F("displacement_cc", "Cylindrée", "vehicle", "int", "vehicle.displacement_cc"),
    F("din_power", "Puissance Din*", "vehicle", "int", "vehicle.din_power"),
    F("mileage_km", "Km jour de la vente*", "vehicle", "int", "vehicle.mileage_km"),
    F("delivery_date", "Date de livraison*", "vehicle", "date", "sale.delivery_date"),
    F("manufacturer_warranty_km", "Km gtie constructeur*", "vehicle", "int", "vehicle.manufacturer_warranty_km"),
    F("brand", "Marque*", "vehicle", source="vehicle.brand", max_length=80),
    F("model", "Modèle véhicule*", "vehicle", source="vehicle.model", max_length=80),
    F("version", "Version*", "vehicle", source="vehicle.version"),
    F("vin", "VIN*", "vehicle", source="vehicle.vin", check=contract.normalize_vin),
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
INT_LIMITS = {"fiscal_power": 200, "kw_power": 1500, "displacement_cc": 10000, "din_power": 2000,
              "mileage_km": 2_000_000, "manufacturer_warranty_km": 9_999_999}


def form_data() -> dict:
    return reference.load("declaration_form")


def choices(field: Field, program: str | None, values: dict) -> list[tuple[str, str]]:
    """(value, text) options of a select, the warranty ones depending on the label chosen on page 1."""
    data = form_data()
    if field.name == "origin":
        options = [(o, o) for o in data["sale_origins"]]
        current = values.get("origin")
        return options + ([(current, current)] if current and (current, current) not in options else [])
    if field.name == "civility":
        return list(data["civilities"].items())
    if field.name == "kind":
        return list(data["vehicle_kinds"].items())
    if field.name == "energy":
        return list(data["energies"].items())
    if field.name == "product":
        return [(p["product"], p["product"]) for p in reference.warranty_products() if p["label"] == program]
    if field.name == "duration_months":
        product = reference.warranty_product(values.get("product") or "")
        months = product["durations"] if product else sorted(
            {d for p in reference.warranty_products() if p["label"] == program for d in p["durations"]})
        return [(str(m), f"{m} mois") for m in months]
    if field.name == "loyalty_product":
        return [(p, p) for p in reference.loyalty_products()]
    if field.name == "consent":
        return list(data["consents"].items())
    return []


def _dig(payload: dict, path: str):
    value = payload
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def prefill(payload: dict) -> dict:
    """Form values (as typed strings) from the hand-off; dates shown JJ/MM/AAAA."""
    values: dict = {}
    for field in FIELDS:
        raw = _dig(payload, field.source) if field.source else None
        if field.kind == "checkboxes":
            values[field.name] = list(raw or [])
        elif field.kind == "checkbox":
            values[field.name] = bool(raw)
        elif field.kind == "date" and raw:
            values[field.name] = fr_date(dt.date.fromisoformat(raw))
        else:
            values[field.name] = "" if raw is None else str(raw)
    if not values["loyalty_product"]:
        values["loyalty_product"] = "Aucun"
    values["end_date"] = computed_end_date(values)
    return values


def computed_end_date(values: dict) -> str:
    start = parse_fr_date(values.get("start_date", ""))
    months = values.get("duration_months", "")
    try:
        months = parse_int(months, maximum=120)
    except ParseError:
        months = None
    return fr_date(add_months(start, months)) if start and months is not None else ""


def read(form) -> dict:
    """Typed values from a submitted form (werkzeug MultiDict): strings trimmed, lists for checkboxes."""
    values = {}
    for field in FIELDS:
        if field.kind == "checkboxes":
            values[field.name] = [v for v in form.getlist(field.name) if v]
        elif field.kind == "checkbox":
            values[field.name] = form.get(field.name) == "oui"
        else:
            values[field.name] = (form.get(field.name) or "").strip()
    values["end_date"] = computed_end_date(values)
    return values


def validate(values: dict, program: str | None,
             payload: dict) -> tuple[dict | None, list[tuple[str | None, str]]]:
    """(declared values ready to store, []) or (None, [(field name, French message), …])."""
    errors: list[tuple[str, str]] = []
    clean: dict = {}
    for field in FIELDS:
        value = values.get(field.name)
        if field.kind == "checkbox":
            clean[field.name] = bool(value)
            continue
        if not value:
            if field.required:
                errors.append((field.name, f"Le champ {field.plain_label.lower()} est obligatoire"))
            clean[field.name] = [] if field.kind == "checkboxes" else None
            continue
        message, parsed = _parse(field, value, program, values)
        if message:
            errors.append((field.name, message))
        clean[field.name] = parsed
    if not errors:
        errors += _cross_checks(clean, payload)
    if errors:
        return None, errors
    return clean, []


def _parse(field: Field, value, program: str | None, values: dict):
    label = field.plain_label.lower()
    if field.kind == "date":
        try:
            return None, parse_date(value, label=label).isoformat()
        except ParseError as exc:
            return exc.message, None
    if field.kind == "int":
        try:
            return None, parse_int(value, label=label, maximum=INT_LIMITS[field.name])
        except ParseError as exc:
            return exc.message, None
    if field.kind == "money":
        try:
            return None, str(parse_decimal(value, label=label))
        except ParseError as exc:
            return exc.message, None
    if field.kind in ("select", "checkboxes"):
        allowed = {v for v, _ in choices(field, program, values)}
        chosen = value if isinstance(value, list) else [value]
        if any(v not in allowed for v in chosen):
            return f"Le champ {label} a une valeur non proposée", None
        return None, value
    if len(value) > field.max_length:
        return f"Le champ {label} ne peut dépasser {field.max_length} caractères", None
    if field.check is not None:
        try:
            return None, field.check(value)
        except PydanticCustomError as exc:
            return exc.message(), None
    return None, value


def _cross_checks(clean: dict, payload: dict) -> list[tuple[str, str]]:
    errors = []
    vehicle = payload.get("vehicle") or {}
    field_names = {"vehicle.brand": "brand", "vehicle.din_power": "din_power"}
    for refusal in rules.refusals(clean["brand"], clean["din_power"], vehicle.get("usage"),
                                  vehicle.get("ptac_kg")):
        errors.append((field_names.get(refusal.field), refusal.message))  # usage/PTAC: no form field
    if clean["first_registration"] and clean["delivery_date"] and \
            clean["first_registration"] > clean["delivery_date"]:
        errors.append(("first_registration", "La date de première immatriculation ne peut pas être "
                                             "postérieure à la date de livraison"))
    if clean["birth_date"] and clean["birth_date"] >= dt.date.today().isoformat():
        errors.append(("birth_date", "La date de naissance doit être passée"))
    return errors
