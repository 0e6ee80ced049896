"""The v1 hand-off wire models: what a DMS sends, what it gets back. Field names are fixed (SPEC §4.1).

The hand-off pre-fills the declaration form: only the keys that identify the sale are required here.
What the dealer can correct on the form (plate, VIN, phone, postcode, email, dates) arrives as sent
and comes back as ``warnings``; what the form cannot fix (unknown keys, types, the catalogue, the
dealer, eligibility) is refused.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal, get_args, get_origin

from pydantic import (AfterValidator, AnyHttpUrl, BaseModel, BeforeValidator, ConfigDict, Field,
                      StrictBool, model_validator)
from pydantic_core import PydanticCustomError

from spoticar_handoff import catalogue
from spoticar_handoff.catalogue import DMS_NAMES
from spoticar_handoff.fields import (CONTROL_RE, TradeDate, blank, check_email, check_postcode, check_rrdi,
                                     check_siret, normalize_energy, normalize_phone, normalize_plate, normalize_vin,
                                     plain)
from spoticar_handoff.statuses import DeclarationStatus

USAGES = tuple(catalogue.all_usages())
CONSENTS = ("email", "phone", "sms", "mail")


# what no DMS means in a text: C0/C1 controls (an escape, a bell, DEL; a NUL is refused before) and the
# bidirectional overrides and isolates that make a name read otherwise than it is stored; and, for a
# blank, the invisible format characters (zero-width space, word joiner, byte order mark…) alone
CONTROL_MESSAGE = ("Contient un caractère invisible ou de contrôle (tabulation, saut de ligne, échappement, "
                   "inversion du sens d'écriture…) : aucun nom ni texte n'en a.")


def refuse_control(value):
    """A text holding a control character is refused (a 422 naming the field); around the text such a
    character is trimmed as any space (``str_strip_whitespace``). Also for other apps' wire models
    (``AfterValidator(refuse_control)``: Icare's)."""
    if isinstance(value, str) and not plain(value) and CONTROL_RE.search(value.strip()):
        raise PydanticCustomError("text_control", CONTROL_MESSAGE)
    return value


def _blank_to_none(value):
    """A blank text (spaces or invisible characters alone) is None; a text holding a control
    character is refused, whichever text field it is."""
    if not isinstance(value, str):
        return value
    if plain(value):  # the common case, in one C pass: no control character, blank if spaces alone
        return value if value.strip() else None
    if blank(value):
        return None
    return refuse_control(value)


def _text(max_length: int):
    # the lengths before the validator: pydantic checks them in its core rather than with a Python call
    # per field (the blank-to-None step still runs first; same errors, same French messages)
    return Annotated[str, Field(min_length=1, max_length=max_length), BeforeValidator(_blank_to_none)]


Name = _text(80)
Text = _text(120)


def _as_sent(check):
    """Normalised when well formed, else kept as sent: the dealer corrects it on form 2/3, and the
    hand-off's ``warnings`` say so (``spoticar_handoff.warnings``)."""
    def normalise(value: str) -> str:
        try:
            return check(value)
        except PydanticCustomError:
            return value
    return AfterValidator(normalise)


# Correctable on form 2/3: accepted as sent (see ``_as_sent``)
Plate = Annotated[str, Field(max_length=20), _as_sent(normalize_plate)]
Vin = Annotated[str, Field(max_length=30), _as_sent(normalize_vin)]
Phone = Annotated[str, Field(max_length=20), _as_sent(normalize_phone)]
Email = Annotated[str, Field(max_length=254), _as_sent(check_email)]
Postcode = Annotated[str, Field(max_length=10), _as_sent(check_postcode)]
Rrdi = Annotated[str, Field(max_length=10), AfterValidator(check_rrdi)]
Siret = Annotated[str, Field(max_length=20), AfterValidator(check_siret)]
Energy = Annotated[str, Field(max_length=30), AfterValidator(normalize_energy)]
_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)


def _plain_amount(value):
    """An amount sent as text is written the one way every parser reads alike (``"10290.76"``):
    Python's ``Decimal`` alone would also take « ١٠٥٠٠ », « １０５００ », « 1_000 », « 1e3 », « +5 »
    or spaces around, which a DMS's own parser may read otherwise (or not at all)."""
    if isinstance(value, str) and not _AMOUNT.fullmatch(value):
        raise PydanticCustomError("decimal_parsing", "Input should be a valid decimal")
    return value


def _no_negative_zero(value: Decimal) -> Decimal:
    return abs(value) if value == 0 else value  # "-0" is 0, never shown « -0,00 € »


# the bounds first: the validators wrap them, so the JSON schema stays that of a bounded decimal
Money = Annotated[Decimal, Field(ge=0, le=10_000_000, decimal_places=2), BeforeValidator(_plain_amount),
                  AfterValidator(_no_negative_zero)]


def _typed_number(value):
    """JSON Schema's ``integer`` is a number without a fraction (``7`` or ``7.0``): a boolean or a
    string of digits is the wrong type, not something to convert silently."""
    if isinstance(value, (bool, str)):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def whole(ge: int, le: int):
    """An integer field of the wire format, bounded (the bounds show in the OpenAPI document)."""
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_typed_number)]


def Opt(t):  # noqa: N802  (a type, named like one)
    """``t`` or None, a blank text being None. The blank-to-None step of a ``_text`` type is left
    out inside: run first here, it leaves ``t``'s own one nothing to do (one Python call per field
    and hand-off less, the same values and errors)."""
    if get_origin(t) is Annotated:
        base, *metadata = get_args(t)
        metadata = [m for m in metadata if not (isinstance(m, BeforeValidator) and m.func is _blank_to_none)]
        t = Annotated[(base, *metadata)] if metadata else base
    return Annotated[t | None, BeforeValidator(_blank_to_none)]


class _Lazy(BaseModel):
    """Validators and serialisers built at first use, not at import: a process that never validates
    (a DMS simulator; ``up`` until the first hand-off) does not pay ~0.1 s of CPU for them."""

    model_config = ConfigDict(defer_build=True)


class WireModel(_Lazy):
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
    din_power: whole(1, 2000) | None = None
    fiscal_power: whole(1, 200) | None = None
    kw_power: whole(1, 1500) | None = None
    displacement_cc: whole(1, 10000) | None = None
    four_wheel_drive: StrictBool | None = None
    mileage_km: whole(0, 2_000_000) | None = None
    manufacturer_warranty_end: TradeDate | None = None
    manufacturer_warranty_km: whole(0, 9_999_999) | None = None
    usage: Literal[USAGES] = "particulier"  # type: ignore[valid-type]
    ptac_kg: whole(1, 60_000) | None = None
    market_value: Money | None = None


class Warranty(WireModel):
    label: Literal["SPOTICAR", "DS CERTIFIED", "ALFA ROMEO CERTIFIED"] = "SPOTICAR"
    product: Opt(Name) = None
    duration_months: whole(1, 120) | None = None
    start_date: TradeDate | None = None
    loyalty_product: Opt(Name) = None

    @model_validator(mode="after")
    def _in_catalogue(self):
        if self.product is None:
            return self
        product = catalogue.warranty_product(self.product)
        if product is None or product["label"] != self.label:
            names = [p["product"] for p in catalogue.warranty_products() if p["label"] == self.label]
            raise PydanticCustomError(
                "product", "Produit de garantie inconnu pour le label {label} ; produits possibles : {names}.",
                {"label": self.label, "names": ", ".join(names), "field": "product"})
        if self.duration_months is not None and self.duration_months not in product["durations"]:
            raise PydanticCustomError(
                "duration", "Durée non proposée pour {product} : {durations} mois.",
                {"product": self.product, "durations": " ou ".join(map(str, product["durations"])),
                 "field": "duration_months"})
        if self.loyalty_product and self.loyalty_product not in catalogue.loyalty_products():
            raise PydanticCustomError(
                "loyalty", "Produit fidélisation inconnu ; valeurs possibles : {names}.",
                {"names": ", ".join(catalogue.loyalty_products()), "field": "loyalty_product"})
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


class HandoffWarning(_Lazy):
    """A value the dealer will have to correct on the declaration form (2/3) before declaring."""
    field: str
    message: str


class HandoffReceipt(_Lazy):
    """201 (created) or 200 (same DMS order sent again) answer."""
    handoff_id: int
    bdc_number: str
    declaration_url: str
    status: DeclarationStatus
    warnings: list[HandoffWarning] = Field(default_factory=list)


class DeclarationState(_Lazy):
    """GET /api/v1/declarations/<bdc_number> answer, also the body POSTed to ``callback_url``."""
    bdc_number: str
    status: DeclarationStatus
    garantisseur: str | None = None
    contract_number: str | None = None
    dms_order_ref: str | None = None
    declared_at: dt.datetime | None = None
    message: str | None = None


class ErrorItem(_Lazy):
    field: str | None
    message: str


class ErrorBody(_Lazy):
    errors: list[ErrorItem]
