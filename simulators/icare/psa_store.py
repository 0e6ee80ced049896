"""PSA Assurance (simulated on Icare): the policies a DMS declares directly ("Déclaration PSA Insurance")."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, DateTime, Integer, Numeric, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from simulators.icare.store import Base, utcnow


class PsaPolicy(Base):
    """One policy per DMS order of a dealer (``rrdi`` + ``dms`` + ``dms_order_ref``)."""
    __tablename__ = "icare_psa_policies"
    __table_args__ = (UniqueConstraint("rrdi", "dms", "dms_order_ref", name="uq_icare_psa_policy_order"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(12), unique=True)
    rrdi: Mapped[str] = mapped_column(String(7))
    code_t: Mapped[str] = mapped_column(String(10))
    dms: Mapped[str] = mapped_column(String(20))
    dms_order_ref: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(40))
    product: Mapped[str] = mapped_column(String(80))
    duration_months: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    premium_ttc: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    customer_civility: Mapped[str | None] = mapped_column(String(5))
    customer_last_name: Mapped[str] = mapped_column(String(80))
    customer_first_name: Mapped[str | None] = mapped_column(String(80))
    customer_email: Mapped[str | None] = mapped_column(String(254))
    plate: Mapped[str] = mapped_column(String(20), index=True)
    vin: Mapped[str] = mapped_column(String(17))
    brand: Mapped[str] = mapped_column(String(80))
    model: Mapped[str | None] = mapped_column(String(80))
    version: Mapped[str | None] = mapped_column(String(120))
    mileage_km: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="en vigueur")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())


def policy_number(created: dt.datetime, sequence: int) -> str:
    """``PA`` + year (2) + 8-digit sequence, e.g. PA2600000001."""
    return f"PA{created.year % 100:02d}{sequence % 100_000_000:08d}"
