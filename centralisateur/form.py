"""The declaration form (2/3): pre-fill from the hand-off, checks.

One table of fields (``spoticar_handoff.form_fields``, shipped with the SDK so a DMS knows which form
label each hand-off field fills) drives the template, the pre-fill, the validation and the hand-off's
warnings, so a label can only be written once. Messages: "Le champ <label> est obligatoire" for a
missing value (seed 000), a line of its own for a format or eligibility error.
"""
from __future__ import annotations

import datetime as dt

from pydantic_core import PydanticCustomError

from common.dates import add_months, fr_date, parse_fr_date
from common.parsing import ParseError, parse_date, parse_decimal, parse_int
from fixtures import reference
from spoticar_handoff.eligibility import refusals
from spoticar_handoff.form_fields import (BY_NAME, DEFAULTS, FIELDS, Field,  # noqa: F401  (the form's table)
                                          date_problems)

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
    for name, default in DEFAULTS.items():
        values[name] = values[name] or default
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
    for refusal in refusals(clean["brand"], clean["din_power"], vehicle.get("usage"),
                                  vehicle.get("ptac_kg")):
        errors.append((field_names.get(refusal.field), refusal.message))  # usage/PTAC: no form field
    errors += date_problems(clean)
    return errors
