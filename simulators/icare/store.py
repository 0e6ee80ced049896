"""Icare's own store: dealers under convention, NPO records and warranty contracts."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, func
from common.db import utcnow  # noqa: F401  (re-exported)
from common.outbox import define_outbox
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass



class IcareDealer(Base):
    __tablename__ = "icare_dealers"
    code_t: Mapped[str] = mapped_column(String(10), primary_key=True)
    rrdi: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    configuration: Mapped[str] = mapped_column(String(40))
    convention_email: Mapped[str] = mapped_column(String(254))


class NpoRecord(Base):
    __tablename__ = "icare_npo_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    bdc_number: Mapped[str] = mapped_column(String(30), unique=True)
    code_t: Mapped[str] = mapped_column(ForeignKey("icare_dealers.code_t"), index=True)
    plate: Mapped[str | None] = mapped_column(String(20))
    vin: Mapped[str | None] = mapped_column(String(17))
    sale_date: Mapped[dt.date | None] = mapped_column(Date)
    fee_ht: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())


class WarrantyTerms:
    """What a warranty contract and a PSA Assurance policy both record: term, customer, vehicle."""
    label: Mapped[str] = mapped_column(String(40))
    product: Mapped[str] = mapped_column(String(80))
    duration_months: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
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
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())


class Contract(WarrantyTerms, Base):
    __tablename__ = "icare_contracts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(11), unique=True)
    bdc_number: Mapped[str] = mapped_column(String(30), unique=True)
    # the portal's lists filter on the establishment, newest first (bench/growth.py)
    code_t: Mapped[str] = mapped_column(ForeignKey("icare_dealers.code_t"), index=True)
    premium_ttc: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    status: Mapped[str] = mapped_column(String(20), default="actif")


# The portal's simulated mailbox (``common.outbox``): mails are stored, shown at /outbox in demo/test mode.
outbox = define_outbox(Base, "icare")
