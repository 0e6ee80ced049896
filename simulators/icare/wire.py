"""What Icare's contract and PSA Assurance APIs accept (pydantic models), imported by the first call
that sends one: an Icare start does not load pydantic."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from common.parsing import TradeDate
from spoticar_handoff.fields import PLATE_RE, VIN_RE
from spoticar_handoff.models import refuse_control, whole  # integers as JSON numbers: no « 1_000 », true or " 12 "

# a text no one types a control character or a bidirectional override in (as the hand-off's texts)
Clean = AfterValidator(refuse_control)
Short = Annotated[str, Field(min_length=1, max_length=80), Clean]


def _optional(max_length: int):
    return Annotated[str | None, Field(default=None, max_length=max_length), Clean]


class Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)  # built at first use


class NpoIn(Wire):
    bdc_number: Annotated[str, Field(pattern=r"^SP[0-9A-Z]{7}[0-9]{9}$")]
    code_t: Annotated[str, Field(pattern=r"^T[0-9]{5}$")]
    rrdi: Annotated[str, Field(pattern=r"^[0-9A-Z]{7}$")]
    plate: str | None = Field(default=None, max_length=20)
    vin: str | None = Field(default=None, max_length=17)
    sale_date: TradeDate | None = None


class CustomerIn(Wire):
    civility: _optional(5) = None
    last_name: Short
    first_name: _optional(80) = None
    email: _optional(254) = None


class VehicleIn(Wire):
    plate: Annotated[str, Field(pattern=PLATE_RE.pattern)]
    vin: Annotated[str, Field(pattern=VIN_RE.pattern)]
    brand: Short
    model: _optional(80) = None
    version: _optional(120) = None
    mileage_km: whole(0, 2_000_000) | None = None


class ContractIn(NpoIn):
    label: Literal["SPOTICAR", "DS CERTIFIED", "ALFA ROMEO CERTIFIED"]
    product: Short
    duration_months: whole(1, 120)
    start_date: TradeDate
    customer: CustomerIn
    vehicle: VehicleIn


# PSA Assurance (``simulators.icare.psa_insurance``)

class PolicyCustomer(CustomerIn):
    civility: Literal["M", "MME"] | None = None
    postcode: str | None = Field(default=None, pattern=r"^[0-9]{5}$")
    city: _optional(80) = None


class PolicyVehicle(VehicleIn):
    first_registration: TradeDate | None = None
    din_power: whole(1, 2000) | None = None
    usage: Annotated[str, Field(max_length=40), Clean] = "particulier"
    ptac_kg: whole(1, 60_000) | None = None


class PolicyIn(Wire):
    dms: Literal["bee2link", "neovo", "pvo2", "tec3h"]
    dms_order_ref: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._/\-]+$")]
    rrdi: Annotated[str, Field(pattern=r"^[0-9A-Z]{7}$")]
    customer: PolicyCustomer
    vehicle: PolicyVehicle
    label: Literal["SPOTICAR", "DS CERTIFIED", "ALFA ROMEO CERTIFIED"]
    product: Short
    duration_months: whole(1, 120)
    start_date: TradeDate


# the fault switches of the contract API (``simulators.icare.faults``, test and demo mode)

class FaultIn(BaseModel):
    """What to do to the next contract-API calls (all optional; ``count`` None = until cleared)."""
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built at first use
    latency_ms: whole(0, 60_000) = 0
    error_status: whole(400, 599) | None = None
    drop_connection: bool = False
    count: whole(1, 10_000) | None = None
    rrdi: str | None = Field(default=None, min_length=1, max_length=20)
