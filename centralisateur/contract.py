"""The v1 hand-off contract: what a DMS sends, what it gets back. Field names are fixed (SPEC §4.1).

The hand-off pre-fills the declaration form: only the keys that identify the sale are required here;
every other value is checked for its format when present and completed by the dealer in the form.
DMS simulators import these models the way a vendor would use a published SDK.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (AfterValidator, AnyHttpUrl, BaseModel, BeforeValidator, ConfigDict, Field,
                      model_validator)
from pydantic_core import PydanticCustomError

from common.parsing import TradeDate
from fixtures import reference

DMS_NAMES = ("bee2link", "neovo", "pvo2", "tec3h")
USAGES = tuple(reference.all_usages())
CONSENTS = ("email", "phone", "sms", "mail")
ENERGIES = ("ESSENCE", "DIESEL", "ELECTRIQUE", "HYBRIDE", "HYBRIDE RECHARGEABLE", "GPL", "GNV", "E85",
            "HYDROGENE")

PLATE_RE = re.compile(r"^[A-HJ-NP-TV-Z]{2}-[0-9]{3}-[A-HJ-NP-TV-Z]{2}$")
VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
RRDI_RE = re.compile(r"^[0-9A-Z]{7}$")
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^(?:0[1-9][0-9]{8}|\+[0-9]{8,15})$")


def _fail(kind: str, message: str):
    raise PydanticCustomError(kind, message)


def normalize_plate(value: str) -> str:
    """"aa123aa", "AA 123 AA" → "AA-123-AA"; the SIV format is then checked."""
    compact = re.sub(r"[\s\-]", "", value).upper()
    if re.fullmatch(r"[A-Z]{2}[0-9]{3}[A-Z]{2}", compact):
        compact = f"{compact[:2]}-{compact[2:5]}-{compact[5:]}"
    if not PLATE_RE.match(compact):
        _fail("plate", "L'immatriculation doit être au format SIV AA-123-AA (sans I, O ni U).")
    return compact


def normalize_vin(value: str) -> str:
    vin = value.replace(" ", "").upper()
    if not VIN_RE.match(vin):
        _fail("vin", "Le VIN doit comporter exactement 17 caractères (lettres et chiffres, sans I, O ni Q).")
    return vin


def normalize_phone(value: str) -> str:
    phone = re.sub(r"[\s.\-]", "", value)
    if not PHONE_RE.match(phone):
        _fail("phone", "Le numéro de téléphone doit comporter 10 chiffres (ex. 0102030405).")
    return phone


def check_email(value: str) -> str:
    if not EMAIL_RE.match(value) or len(value) > 254:
        _fail("email", "L'adresse email n'est pas valide.")
    return value


def check_postcode(value: str) -> str:
    if not re.fullmatch(r"[0-9]{5}", value):
        _fail("postcode", "Le code postal doit comporter 5 chiffres.")
    return value


def check_rrdi(value: str) -> str:
    value = value.upper()
    if not RRDI_RE.match(value):
        _fail("rrdi", "Le code RRDI doit comporter 7 caractères (chiffres et lettres, ex. 953617Z).")
    return value


def check_siret(value: str) -> str:
    value = value.replace(" ", "")
    if not re.fullmatch(r"[0-9]{14}", value):
        _fail("siret", "Le SIRET doit comporter 14 chiffres.")
    return value


def normalize_energy(value: str) -> str:
    energy = reference.normalize_brand(value)
    if energy not in ENERGIES:
        _fail("energy", "Énergie inconnue ; valeurs possibles : " + ", ".join(ENERGIES) + ".")
    return energy


def _blank_to_none(value):
    return None if isinstance(value, str) and not value.strip() else value


def _text(max_length: int):
    return Annotated[str, BeforeValidator(_blank_to_none), Field(min_length=1, max_length=max_length)]


Name = _text(80)
Text = _text(120)
Plate = Annotated[str, Field(max_length=20), AfterValidator(normalize_plate)]
Vin = Annotated[str, Field(max_length=30), AfterValidator(normalize_vin)]
Phone = Annotated[str, Field(max_length=20), AfterValidator(normalize_phone)]
Email = Annotated[str, Field(max_length=254), AfterValidator(check_email)]
Postcode = Annotated[str, Field(max_length=10), AfterValidator(check_postcode)]
Rrdi = Annotated[str, Field(max_length=10), AfterValidator(check_rrdi)]
Siret = Annotated[str, Field(max_length=20), AfterValidator(check_siret)]
Energy = Annotated[str, Field(max_length=30), AfterValidator(normalize_energy)]
Money = Annotated[Decimal, Field(ge=0, le=10_000_000, decimal_places=2)]
Opt = lambda t: Annotated[t | None, BeforeValidator(_blank_to_none)]  # noqa: E731


class WireModel(BaseModel):
    """What crosses the wire: unknown keys are refused, text is trimmed."""
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class DealerRef(WireModel):
    rrdi: Rrdi


class Sale(WireModel):
    sale_date: TradeDate | None = None
    delivery_date: TradeDate | None = None
    origin: Opt(Name) = None
    price_ttc: Money | None = None
    trade_in_value: Money | None = None

    @model_validator(mode="after")
    def _delivery_after_sale(self):
        if self.sale_date and self.delivery_date and self.delivery_date < self.sale_date:
            raise PydanticCustomError(
                "delivery_before_sale", "La date de livraison ne peut pas précéder la date de vente.",
                {"field": "delivery_date"})
        return self


class Customer(WireModel):
    civility: Literal["M", "MME"] | None = None
    last_name: Name
    first_name: Opt(Name) = None
    birth_name: Opt(Name) = None
    birth_date: TradeDate | None = None
    birth_place: Opt(Name) = None
    birth_country: Opt(Name) = None
    nationality: Opt(Name) = None
    residence_country: Opt(Name) = None
    email: Opt(Email) = None
    phone: Opt(Phone) = None
    mobile: Opt(Phone) = None
    address: Opt(Text) = None
    address2: Opt(Text) = None
    address3: Opt(Text) = None
    postcode: Opt(Postcode) = None
    city: Opt(Name) = None
    company_name: Opt(Text) = None
    siret: Opt(Siret) = None
    consent: list[Literal["email", "phone", "sms", "mail"]] = Field(default_factory=list, max_length=4)

    @model_validator(mode="after")
    def _birth_in_past(self):
        if self.birth_date and not dt.date(1900, 1, 1) <= self.birth_date <= dt.date.today():
            raise PydanticCustomError("birth_date", "La date de naissance doit être passée (après 1900).",
                                     {"field": "birth_date"})
        return self


class Vehicle(WireModel):
    kind: Literal["VP", "VU"] | None = None
    plate: Opt(Plate) = None
    vin: Opt(Vin) = None
    brand: Name
    model: Opt(Name) = None
    version: Opt(Text) = None
    energy: Opt(Energy) = None
    registration_card_type: Opt(Name) = None
    first_registration: TradeDate | None = None
    din_power: int | None = Field(default=None, ge=1, le=2000)
    fiscal_power: int | None = Field(default=None, ge=1, le=200)
    kw_power: int | None = Field(default=None, ge=1, le=1500)
    displacement_cc: int | None = Field(default=None, ge=1, le=10000)
    four_wheel_drive: bool | None = None
    mileage_km: int | None = Field(default=None, ge=0, le=2_000_000)
    manufacturer_warranty_end: TradeDate | None = None
    manufacturer_warranty_km: int | None = Field(default=None, ge=0, le=9_999_999)
    usage: Literal[USAGES] = "particulier"  # type: ignore[valid-type]
    ptac_kg: int | None = Field(default=None, ge=1, le=60_000)
    market_value: Money | None = None


class Warranty(WireModel):
    label: Literal["SPOTICAR", "DS CERTIFIED", "ALFA ROMEO CERTIFIED"] = "SPOTICAR"
    product: Opt(Name) = None
    duration_months: int | None = Field(default=None, ge=1, le=120)
    start_date: TradeDate | None = None
    loyalty_product: Opt(Name) = None

    @model_validator(mode="after")
    def _in_catalogue(self):
        if self.product is None:
            return self
        product = reference.warranty_product(self.product)
        if product is None or product["label"] != self.label:
            names = [p["product"] for p in reference.warranty_products() if p["label"] == self.label]
            raise PydanticCustomError(
                "product", "Produit de garantie inconnu pour le label {label} ; produits possibles : {names}.",
                {"label": self.label, "names": ", ".join(names), "field": "product"})
        if self.duration_months is not None and self.duration_months not in product["durations"]:
            raise PydanticCustomError(
                "duration", "Durée non proposée pour {product} : {durations} mois.",
                {"product": self.product, "durations": " ou ".join(map(str, product["durations"])),
                 "field": "duration_months"})
        if self.loyalty_product and self.loyalty_product not in reference.loyalty_products():
            raise PydanticCustomError(
                "loyalty", "Produit fidélisation inconnu ; valeurs possibles : {names}.",
                {"names": ", ".join(reference.loyalty_products()), "field": "loyalty_product"})
        return self


class HandoffIn(WireModel):
    """POST /api/v1/handoffs body (v1)."""
    source_dms: Literal[DMS_NAMES]  # type: ignore[valid-type]
    dms_order_ref: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._/\-]+$")]
    dealer: DealerRef
    seller: Opt(Name) = None
    sale: Sale = Field(default_factory=Sale)
    customer: Customer
    vehicle: Vehicle
    warranty: Warranty | None = None
    callback_url: AnyHttpUrl | None = None


class DeclarationStatus(StrEnum):
    PENDING = "pending"
    CONTRACT_PENDING = "contract_pending"
    DECLARED = "declared"
    REFUSED = "refused"


class HandoffReceipt(BaseModel):
    """201 (created) or 200 (same DMS order sent again) answer."""
    handoff_id: int
    bdc_number: str
    declaration_url: str
    status: DeclarationStatus


class DeclarationState(BaseModel):
    """GET /api/v1/declarations/<bdc_number> answer, also the body POSTed to ``callback_url``."""
    bdc_number: str
    status: DeclarationStatus
    garantisseur: str | None = None
    contract_number: str | None = None
    dms_order_ref: str | None = None
    declared_at: dt.datetime | None = None
    message: str | None = None


class ErrorItem(BaseModel):
    field: str | None
    message: str


class ErrorBody(BaseModel):
    errors: list[ErrorItem]
