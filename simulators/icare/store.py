"""Icare's own store: dealers under convention, NPO records and warranty contracts."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.columns import City, Email, IdColumn, Money, PersonName, Plate, Version, Vin
from common.db import utcnow  # noqa: F401  (re-exported)
from common.outbox import define_outbox


class Base(DeclarativeBase):
    pass



class IcareDealer(Base):
    __tablename__ = "icare_dealers"
    code_t: Mapped[str] = mapped_column(String(10), primary_key=True)
    rrdi: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[City] = mapped_column(default="")
    configuration: Mapped[str] = mapped_column(String(40))
    convention_email: Mapped[Email]


class NpoRecord(IdColumn, Base):
    __tablename__ = "icare_npo_records"
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    bdc_number: Mapped[str] = mapped_column(String(30), unique=True)
    code_t: Mapped[str] = mapped_column(ForeignKey("icare_dealers.code_t"), index=True)
    plate: Mapped[Plate | None]
    vin: Mapped[Vin | None]
    sale_date: Mapped[dt.date | None]
    fee_ht: Mapped[Money]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())


class WarrantyTerms:
    """What a warranty contract and a PSA Assurance policy both record: term, customer, vehicle."""
    label: Mapped[str] = mapped_column(String(40))
    product: Mapped[str] = mapped_column(String(80))
    duration_months: Mapped[int]
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    customer_civility: Mapped[str | None] = mapped_column(String(5))
    customer_last_name: Mapped[PersonName]
    customer_first_name: Mapped[PersonName | None]
    customer_email: Mapped[Email | None]
    plate: Mapped[Plate] = mapped_column(index=True)
    vin: Mapped[Vin]
    brand: Mapped[str] = mapped_column(String(80))
    model: Mapped[str | None] = mapped_column(String(80))
    version: Mapped[Version | None]
    mileage_km: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())


class Contract(IdColumn, WarrantyTerms, Base):
    __tablename__ = "icare_contracts"
    number: Mapped[str | None] = mapped_column(String(11), unique=True)
    bdc_number: Mapped[str] = mapped_column(String(30), unique=True)
    # the portal's lists filter on the establishment, newest first (bench/growth.py)
    code_t: Mapped[str] = mapped_column(ForeignKey("icare_dealers.code_t"), index=True)
    premium_ttc: Mapped[Money | None]
    status: Mapped[str] = mapped_column(String(20), default="actif")


# The portal's simulated mailbox (``common.outbox``): mails are stored, shown at /outbox in demo/test mode.
outbox = define_outbox(Base, "icare")


class IcareFault(Base):
    """An outage switch of the contract API (``simulators.icare.faults``): in the database, so every
    process serving Icare (gunicorn workers) applies the same one and counts it once."""
    __tablename__ = "icare_faults"
    scope: Mapped[str] = mapped_column(String(20), primary_key=True)   # "" every call, else a point of sale (rrdi)
    fault: Mapped[dict] = mapped_column(JSON)
    remaining: Mapped[int | None]
    hits: Mapped[int] = mapped_column(default=0)
