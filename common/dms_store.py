"""Column mixins for DMS simulator stores: a used vehicle as a DMS records it, and what the
centralisateur said about a sale's declaration (what ``common.dms_handoff`` reads and writes)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


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
