"""The declaration form (2/3): its fields as seed 000 shows them, pre-fill from the hand-off, checks.

One form class (the common form layer) drives the template, the pre-fill and the validation, so a
label is written once. Messages: "Le champ <label> est obligatoire" for a missing value (seed 000,
the "centralisateur" wording), a line of its own for a format or eligibility error.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import request

from common import parsing
from common.dates import add_months, fr_date
from common.forms import (CheckboxesField, CheckboxField, DateField, EmailField, Form, IntegerField,
                          MoneyField, PhoneField, PlateField, PostcodeField, SelectField, TextField,
                          VinField)
from fixtures import reference
from spoticar_handoff.eligibility import refusals
from spoticar_handoff.form_fields import (DEFAULT_MAX_DAYS_AFTER_DELIVERY, DEFAULTS, date_problems, dig,
                                         warranty_date_problems)


def form_data() -> dict:
    return reference.load("declaration_form")


def _origins(form):
    """The origins of the list, and the one the DMS sent when it is another (the dealer keeps it or
    picks one of the list); never what a POST names: « zz » or « <x> » is refused as any value no
    option offers."""
    options = [(o, o) for o in form_data()["sale_origins"]]
    sent = form.dms_origin
    return options + ([(sent, sent)] if sent and (sent, sent) not in options else [])


def _products(form):
    return [(p["product"], p["product"]) for p in reference.warranty_products() if p["label"] == form.program]


def _durations(form):
    product = reference.warranty_product(form.product.data or "")
    months = product["durations"] if product else sorted(
        {d for p in reference.warranty_products() if p["label"] == form.program for d in p["durations"]})
    return [(str(m), f"{m} mois") for m in months]


def _req(cls, label: str, **kwargs):
    """A field of form 2/3: required when its label carries the asterisk."""
    return cls(label, required=label.endswith("*"), **kwargs)


def _int(label, high):
    return _req(IntegerField, label, min=0, max=high)


class DeclarationForm(Form):
    """DECLARATION VENTE SPOTICAR 2/3; ``program`` (chosen on 1/3) decides the warranty options."""

    class Meta:
        wording = "centralisateur"
        id_prefix = "f-"
        required_mark = "none"  # the label carries its "*" (tests find "Immatriculation*")

    program: str | None = None
    dms_origin: str | None = None  # the hand-off's ``sale.origin`` (``build``)

    seller = _req(TextField, "Vendeur véhicule d'occasion*", max_length=80)
    origin = _req(SelectField, "Origine de la vente*", choices=_origins)
    consent = _req(CheckboxesField, "Consentement du client (FOCUS)*",
                   choices=lambda form: form_data()["consents"])
    civility = _req(SelectField, "Civilité*", choices=lambda form: form_data()["civilities"])
    last_name = _req(TextField, "Nom*", max_length=80)
    first_name = _req(TextField, "Prénom*", max_length=80)
    email = _req(EmailField, "Email", input_type="text")
    phone = _req(PhoneField, "Tel. Fixe")
    mobile = _req(PhoneField, "Tel. Mobile")
    address = _req(TextField, "Adresse*")
    address2 = _req(TextField, "Complément adresse 1")
    address3 = _req(TextField, "Complément adresse 2")
    postcode = _req(PostcodeField, "Code Postal*")
    city = _req(TextField, "Ville*", max_length=80)
    birth_name = _req(TextField, "Nom de Naissance", max_length=80)
    birth_date = _req(DateField, "Date de Naissance*")
    birth_place = _req(TextField, "Lieu de Naissance*", max_length=80)
    residence_country = _req(TextField, "Pays de résidence*", max_length=80)
    nationality = _req(TextField, "Nationalité*", max_length=80)
    birth_country = _req(TextField, "Pays de Naissance*", max_length=80)
    kind = _req(SelectField, "Type véhicule*", choices=lambda form: form_data()["vehicle_kinds"])
    registration_card_type = _req(TextField, "Type carte grise", max_length=80)
    energy = _req(SelectField, "Energie*", choices=lambda form: form_data()["energies"])
    fiscal_power = _int("Puissance Fiscale", 200)
    kw_power = _int("Puissance KW", 1500)
    four_wheel_drive = _req(CheckboxField, "4x4")
    manufacturer_warranty_end = _req(DateField, "Date fin gtie constructeur*")
    plate = _req(PlateField, "Immatriculation*")
    first_registration = _req(DateField, "Date première immat.*")
    displacement_cc = _int("Cylindrée", 10000)
    din_power = _int("Puissance Din*", 2000)
    mileage_km = _int("Km jour de la vente*", 2_000_000)
    delivery_date = _req(DateField, "Date de livraison*")
    ptac_kg = _int("PTAC (kg)", 60_000)
    manufacturer_warranty_km = _int("Km gtie constructeur*", 9_999_999)
    brand = _req(TextField, "Marque*", max_length=80)
    model = _req(TextField, "Modèle véhicule*", max_length=80)
    version = _req(TextField, "Version*")
    vin = _req(VinField, "VIN*")
    price_ttc = _req(MoneyField, "Prix de vente")
    trade_in_value = _req(MoneyField, "Valeur de reprise")
    market_value = _req(MoneyField, "Côte du véhicule")
    product = _req(SelectField, "Garantie*", choices=_products)
    duration_months = _req(SelectField, "Durée*", choices=_durations)
    start_date = _req(DateField, "Date début de garantie*")
    end_date = _req(DateField, "Date fin de garantie*", readonly=True)
    loyalty_product = _req(SelectField, "Produit fidélisation*",
                           choices=lambda form: [(p, p) for p in reference.loyalty_products()])

    def sections(self) -> dict[str, list]:
        """The fields of each block of the page, in order."""
        return {section: [self[name] for name in names] for section, names in SECTIONS.items()}

    def refresh_end_date(self) -> None:
        """Date fin de garantie = date début + durée, computed here whatever was posted."""
        self.end_date.data = computed_end_date(self.start_date.data, self.duration_months.data)


SECTIONS = {
    "top": ("seller", "origin", "consent"),
    "client": ("civility", "last_name", "first_name", "email", "phone", "mobile", "address", "address2",
               "address3", "postcode", "city", "birth_name", "birth_date", "birth_place",
               "residence_country", "nationality", "birth_country"),
    "vehicle": ("kind", "registration_card_type", "energy", "fiscal_power", "kw_power", "four_wheel_drive",
                "manufacturer_warranty_end", "plate", "first_registration", "displacement_cc", "din_power",
                "mileage_km", "delivery_date", "ptac_kg", "manufacturer_warranty_km", "brand", "model", "version", "vin",
                "price_ttc", "trade_in_value", "market_value"),
    "warranty": ("product", "duration_months", "start_date", "end_date", "loyalty_product"),
}
# Where each field's pre-filled value sits in the hand-off payload.
SOURCES = {
    "seller": "seller", "origin": "sale.origin", "consent": "customer.consent",
    **{name: f"customer.{name}" for name in SECTIONS["client"]},
    **{name: f"vehicle.{name}" for name in SECTIONS["vehicle"]},
    "delivery_date": "sale.delivery_date", "price_ttc": "sale.price_ttc",
    "trade_in_value": "sale.trade_in_value",
    **{name: f"warranty.{name}" for name in ("product", "duration_months", "start_date", "loyalty_product")},
}


@dataclass(frozen=True)
class FieldInfo:
    """A field of form 2/3 as other modules read it (``spoticar_handoff.form_fields`` is the same table
    for a DMS: a test keeps them equal)."""

    name: str
    label: str       # as on screen, asterisk included
    required: bool
    source: str | None  # dotted path in the hand-off payload


FIELDS: tuple[FieldInfo, ...] = tuple(
    FieldInfo(name, getattr(DeclarationForm, name).args[0],
              getattr(DeclarationForm, name).kwargs.get("required") is True, SOURCES.get(name))
    for names in SECTIONS.values() for name in names)
BY_NAME = {f.name: f for f in FIELDS}


def computed_end_date(start: str | None, months: str | None) -> str:
    """"30/11/2025" + "12" → "30/11/2026"; empty when either is missing or unreadable."""
    try:
        begin, count = parsing.parse_date(start), parsing.parse_int(months, minimum=1, maximum=120)
    except parsing.ParseError:
        return ""
    return fr_date(add_months(begin, count)) if begin and count else ""


def build(program: str | None, payload: dict | None = None) -> DeclarationForm:
    """The form: on POST read from the request, else pre-filled from the hand-off ``payload``."""
    if request.method == "POST":
        form = DeclarationForm()
    else:
        data = {name: dig(payload or {}, path) for name, path in SOURCES.items()}
        data.update({name: data[name] or value for name, value in DEFAULTS.items()})
        form = DeclarationForm(formdata=None, data=data)
    form.program = program
    form.dms_origin = dig(payload or {}, SOURCES["origin"])
    form.refresh_end_date()
    if request.method != "POST" and program and form.product.data not in {v for v, _ in form.product.options()}:
        form.product.data = ""
    return form


def validate(form: DeclarationForm, payload: dict,
             max_days_after_delivery: int = DEFAULT_MAX_DAYS_AFTER_DELIVERY) -> dict | None:
    """The declared values ready to store, or None with the messages left on ``form``."""
    if not form.validate():
        return None
    clean = form.values()
    for name, value in clean.items():
        if isinstance(value, dt.date):
            clean[name] = value.isoformat()
        elif name in ("price_ttc", "trade_in_value", "market_value") and value is not None:
            clean[name] = str(value)
    clean["consent"] = clean["consent"] or []
    for name, message in _cross_checks(clean, payload) + date_checks(clean, payload, max_days_after_delivery):
        form.add_error(name, message)
    return None if form.error_list else clean


def _cross_checks(clean: dict, payload: dict) -> list[tuple[str | None, str]]:
    errors = []
    vehicle = payload.get("vehicle") or {}
    field_names = {"vehicle.brand": "brand", "vehicle.din_power": "din_power", "vehicle.ptac_kg": "ptac_kg"}
    for refusal in refusals(clean["brand"], clean["din_power"], vehicle.get("usage"), clean.get("ptac_kg")):
        errors.append((field_names.get(refusal.field), refusal.message))  # usage: no form field
    return errors + date_problems(clean)  # the same date rules as the hand-off's warnings


def date_checks(clean: dict, payload: dict, max_days: int,
                today: dt.date | None = None) -> list[tuple[str, str]]:
    """Warranty dates that make sense (rule 4): the SDK's one rule set, which the hand-off's
    ``warnings`` apply to what the DMS sent, applied here to what the dealer declares."""
    sale_date = (payload.get("sale") or {}).get("sale_date")
    try:
        sold = parsing.parse_date(sale_date).isoformat() if sale_date else None
    except parsing.ParseError:
        sold = None
    return warranty_date_problems({"sale_date": sold, "start_date": clean["start_date"],
                                   "delivery_date": clean["delivery_date"]}, max_days, today)


def flag_corrections(form: DeclarationForm) -> list[tuple[str, str]]:
    """Flag on ``form`` (pre-filled, GET) the values the DMS sent that the dealer must correct
    before declaring — malformed plate, VIN, phone, postcode, dates… — with the same checks as
    on submission; (field name, message) of each.

    Each shown text goes through its field's own submission path (``process_formdata`` then
    ``validate``) on the field itself, its pre-filled state put back afterwards: the checks of a
    submission without building and binding a second 47-field form on every page view."""
    found = []
    for f in form:
        if f.name == "csrf_token" or f.kind in ("select", "checkboxes", "checkbox"):
            continue
        typed = f._value() or ""
        if not typed:
            continue
        shown = (f.data, f.raw_data, f.value, f.errors, f.process_errors)
        f.process_errors = []
        try:
            f.process_formdata([typed])
            for step in f.filters:
                f.data = step(f.data)
        except ValueError as exc:
            f.process_errors.append(exc.args[0] if exc.args else str(exc))
        f.validate(form)
        errors = f.errors
        f.data, f.raw_data, f.value, f.errors, f.process_errors = shown
        if errors:
            message = f"{f.label.text} : {errors[0]}"
            form.add_error(f.name, message)
            found.append((f.name, message))
    return found
