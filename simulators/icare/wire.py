"""What Icare's contract and PSA Assurance APIs accept (pydantic models), imported by the first call
that sends one: an Icare start does not load pydantic."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from common.parsing import TradeDate
from spoticar_handoff.fields import PLATE_RE, VIN_RE

Short = Annotated[str, Field(min_length=1, max_length=80)]


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
    civility: str | None = Field(default=None, max_length=5)
    last_name: Short
    first_name: str | None = Field(default=None, max_length=80)
    email: str | None = Field(default=None, max_length=254)


class VehicleIn(Wire):
    plate: Annotated[str, Field(pattern=PLATE_RE.pattern)]
    vin: Annotated[str, Field(pattern=VIN_RE.pattern)]
    brand: Short
    model: str | None = Field(default=None, max_length=80)
    version: str | None = Field(default=None, max_length=120)
    mileage_km: int | None = Field(default=None, ge=0, le=2_000_000)


class ContractIn(NpoIn):
    label: Literal["SPOTICAR", "DS CERTIFIED", "ALFA ROMEO CERTIFIED"]
    product: Short
    duration_months: int = Field(ge=1, le=120)
    start_date: TradeDate
    customer: CustomerIn
    vehicle: VehicleIn


# PSA Assurance (``simulators.icare.psa_insurance``)

class PolicyCustomer(CustomerIn):
    civility: Literal["M", "MME"] | None = None
    postcode: str | None = Field(default=None, pattern=r"^[0-9]{5}$")
    city: str | None = Field(default=None, max_length=80)


class PolicyVehicle(VehicleIn):
    first_registration: TradeDate | None = None
    din_power: int | None = Field(default=None, ge=1, le=2000)
    usage: str = Field(default="particulier", max_length=40)
    ptac_kg: int | None = Field(default=None, ge=1, le=60_000)


class PolicyIn(Wire):
    dms: Literal["bee2link", "neovo", "pvo2", "tec3h"]
    dms_order_ref: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._/\-]+$")]
    rrdi: Annotated[str, Field(pattern=r"^[0-9A-Z]{7}$")]
    customer: PolicyCustomer
    vehicle: PolicyVehicle
    label: Literal["SPOTICAR", "DS CERTIFIED", "ALFA ROMEO CERTIFIED"]
    product: Short
    duration_months: int = Field(ge=1, le=120)
    start_date: TradeDate


# the fault switches of the contract API (``simulators.icare.faults``, test and demo mode)

class FaultIn(BaseModel):
    """What to do to the next contract-API calls (all optional; ``count`` None = until cleared)."""
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built at first use
    latency_ms: int = Field(default=0, ge=0, le=60_000)
    error_status: int | None = Field(default=None, ge=400, le=599)
    drop_connection: bool = False
    count: int | None = Field(default=None, ge=1, le=10_000)
    rrdi: str | None = Field(default=None, min_length=1, max_length=20)
