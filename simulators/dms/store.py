"""Column mixins for DMS simulator stores: a used vehicle as a DMS records it, what the
centralisateur said about a sale's declaration (what ``simulators.dms.handoff`` reads and writes), and
the callback deliveries already taken."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db import utcnow


class VehicleColumns:
    """Identity and characteristics of a used vehicle, as sent in the hand-off's ``vehicle``."""
    brand: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(120))
    energy: Mapped[str] = mapped_column(String(30))
    plate: Mapped[str] = mapped_column(String(20))
    vin: Mapped[str] = mapped_column(String(17))
    first_registration: Mapped[dt.date] = mapped_column(Date)
    din_power: Mapped[int] = mapped_column(Integer)
    fiscal_power: Mapped[int] = mapped_column(Integer)
    kw_power: Mapped[int] = mapped_column(Integer)
    mileage_km: Mapped[int] = mapped_column(Integer)
    usage: Mapped[str] = mapped_column(String(30), default="particulier")
    ptac_kg: Mapped[int] = mapped_column(Integer)

    @property
    def title(self) -> str:
        return f"{self.brand} {self.model} {self.version}"


class DeclarationColumns:
    """The sale's Spoticar declaration: numéro de bon de commande, link, status, contract."""
    bdc_number: Mapped[str | None] = mapped_column(String(30), unique=True)
    declaration_url: Mapped[str | None] = mapped_column(String(500))
    declaration_status: Mapped[str | None] = mapped_column(String(20))
    garantisseur: Mapped[str | None] = mapped_column(String(80))
    contract_number: Mapped[str | None] = mapped_column(String(11))


class DeliveryColumns:
    """A callback delivery a DMS has taken (``X-Spoticar-Delivery``): a second one is a replay."""
    delivery_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


def delivery_model(base, app_name: str) -> type:
    """The ``<app_name>_callback_deliveries`` table of an app's ``DeclarativeBase``."""
    return type("CallbackDelivery", (DeliveryColumns, base),
                {"__tablename__": f"{app_name}_callback_deliveries"})
