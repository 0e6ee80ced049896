"""Column mixins for DMS simulator stores: a used vehicle as a DMS records it, what the
centralisateur said about a sale's declaration (what ``simulators.dms.handoff`` reads and writes), and
the callback deliveries already taken."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import Brand, Energy, Plate, Version, Vin
from common.db import utcnow


class VehicleColumns:
    """Identity and characteristics of a used vehicle, as sent in the hand-off's ``vehicle``."""
    brand: Mapped[Brand]
    model: Mapped[str] = mapped_column(String(60))
    version: Mapped[Version]
    energy: Mapped[Energy]
    plate: Mapped[Plate]
    vin: Mapped[Vin]
    first_registration: Mapped[dt.date]
    din_power: Mapped[int]
    fiscal_power: Mapped[int]
    kw_power: Mapped[int]
    mileage_km: Mapped[int]
    usage: Mapped[str] = mapped_column(String(30), default="particulier")
    ptac_kg: Mapped[int]

    @property
    def title(self) -> str:
        return f"{self.brand} {self.model} {self.version}"


class TraceColumns:
    """The trace of the hand-off that got the sale its numéro, kept with it: every worker's journal
    finds it here (``simulators.dms.handoff.bind_traces``), not only the one whose memory holds it."""
    trace_id: Mapped[str | None] = mapped_column(String(32))
    tracestate: Mapped[str | None] = mapped_column(String(512))


class DeclarationColumns(TraceColumns):
    """The sale's Spoticar declaration: numéro de bon de commande, link, status, contract."""
    bdc_number: Mapped[str | None] = mapped_column(String(30), unique=True)
    declaration_url: Mapped[str | None] = mapped_column(String(500))
    declaration_status: Mapped[str | None] = mapped_column(String(20))
    garantisseur: Mapped[str | None] = mapped_column(String(80))
    contract_number: Mapped[str | None] = mapped_column(String(11))


class DeliveryColumns:
    """A callback delivery a DMS has taken (``X-Spoticar-Delivery``): a second one is a replay."""
    delivery_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


def delivery_model(base, app_name: str) -> type:
    """The ``<app_name>_callback_deliveries`` table of an app's ``DeclarativeBase``."""
    return type("CallbackDelivery", (DeliveryColumns, base),
                {"__tablename__": f"{app_name}_callback_deliveries"})
