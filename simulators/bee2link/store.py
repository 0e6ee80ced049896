"""Bee2link's own store: VO stock vehicles along the pipeline, their orders, history and comments."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from common.columns import IdColumn, Money
from common.counters import define_counters
from common.db import utcnow
from simulators.dms.store import DeclarationColumns, VehicleColumns, delivery_model


class Base(DeclarativeBase):
    pass


class Vehicle(IdColumn, VehicleColumns, Base):
    """A VO stock vehicle at one stage of the pipeline (with its pré-rentrée channel)."""
    __tablename__ = "bee2link_vehicles"
    rrdi: Mapped[str] = mapped_column(String(7), index=True)
    stage: Mapped[str] = mapped_column(String(30), index=True)
    origin: Mapped[str] = mapped_column(String(20), default="particulier")  # pré-rentrée channel
    stage_since: Mapped[dt.date]
    price_ttc: Mapped[Money]
    financing: Mapped[str] = mapped_column(String(60), default="PSA Finance")
    financing_updated: Mapped[dt.datetime | None]
    media_count: Mapped[int] = mapped_column(default=0)
    documents: Mapped[list] = mapped_column(JSON, default=list)
    order: Mapped["Order | None"] = relationship(back_populates="vehicle", uselist=False)
    events: Mapped[list["Event"]] = relationship(back_populates="vehicle", order_by="Event.id")


class Order(IdColumn, DeclarationColumns, Base):
    """A customer order (bon de commande) and what the centralisateur said about its declaration."""
    __tablename__ = "bee2link_orders"
    number: Mapped[int] = mapped_column(unique=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("bee2link_vehicles.id"), unique=True)
    seller: Mapped[str] = mapped_column(String(80))
    sale_date: Mapped[dt.date]
    delivery_date: Mapped[dt.date]
    price_ttc: Mapped[Money]
    trade_in_value: Mapped[Money | None]
    customer: Mapped[dict] = mapped_column(JSON)
    warranty_level: Mapped[str] = mapped_column(String(60))
    sale_origin: Mapped[str | None] = mapped_column(String(60))  # Origine de la vente (None: demo data)
    vehicle: Mapped[Vehicle] = relationship(back_populates="order")


class Event(IdColumn, Base):
    """One line of the vehicle's Historique (kind "history") or Commentaires (kind "comment")."""
    __tablename__ = "bee2link_events"
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("bee2link_vehicles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    vehicle: Mapped[Vehicle] = relationship(back_populates="events")


CallbackDelivery = delivery_model(Base, "bee2link")
Counter = define_counters(Base, "bee2link")  # order numbers (common.counters)
