"""PVO2's own tables: the site (Fiche d'identité), the stock, customers, offers and bons de commande."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from common.columns import (Brand, City, Email, Energy, IdColumn, Money, PersonName, Phone, Plate, Postcode,
                            Siret, Version, Vin)
from common.counters import define_counters
from common.db import utcnow
from common.outbox import define_outbox
from simulators.dms.store import TraceColumns, delivery_model


class Base(DeclarativeBase):
    pass


class Site(IdColumn, Base):
    """Paramètres → Fiche d'identité du site. ``rrdi`` may be empty: declaring then is refused."""
    __tablename__ = "pvo2_sites"
    code: Mapped[str] = mapped_column(String(20))
    manufacturer_code: Mapped[str] = mapped_column(String(20), default="")
    label: Mapped[str] = mapped_column(String(80))
    company_name: Mapped[str] = mapped_column(String(120))
    siret: Mapped[Siret]
    ape: Mapped[str] = mapped_column(String(10))
    capital: Mapped[str] = mapped_column(String(20))
    company_type: Mapped[str] = mapped_column(String(40))
    rrdi: Mapped[str] = mapped_column(String(7), default="")
    address: Mapped[str] = mapped_column(String(120), default="")
    postcode: Mapped[Postcode] = mapped_column(default="")
    city: Mapped[City] = mapped_column(default="")
    brands: Mapped[str] = mapped_column(String(200), default="")  # Ajoutez les marques représentées


class Vehicle(IdColumn, Base):
    """A stock vehicle and its card (label constructeur, Garantie level)."""
    __tablename__ = "pvo2_vehicles"
    stock_number: Mapped[str] = mapped_column(String(20), unique=True)
    plate: Mapped[Plate]
    vin: Mapped[Vin]
    brand: Mapped[Brand]
    model: Mapped[str] = mapped_column(String(80))
    version: Mapped[Version]
    kind: Mapped[str] = mapped_column(String(2), default="VP")
    energy: Mapped[Energy]
    gearbox: Mapped[str] = mapped_column(String(40))
    first_registration: Mapped[dt.date]
    mileage_km: Mapped[int]
    fiscal_power: Mapped[int]
    din_power: Mapped[int]
    co2: Mapped[int] = mapped_column(default=0)
    critair: Mapped[int] = mapped_column(default=0)
    color: Mapped[str] = mapped_column(String(60), default="")
    provenance: Mapped[str] = mapped_column(String(40), default="Particulier")
    ptac_kg: Mapped[int | None]
    price_ttc: Mapped[Money]
    entry_date: Mapped[dt.date]
    last_ct: Mapped[dt.date | None]
    first_hand: Mapped[bool] = mapped_column(default=False)
    label: Mapped[str] = mapped_column(String(40), default="")  # SPOTICAR, DS / ALFA ROMEO CERTIFIED or ""
    warranty_level: Mapped[str] = mapped_column(String(60), default="")  # e.g. Spoticar-Premium 12 Mois

    @property
    def title(self) -> str:
        return f"{self.brand.title() if len(self.brand) > 2 else self.brand} {self.model}"


class Customer(IdColumn, Base):
    __tablename__ = "pvo2_customers"
    civility: Mapped[str] = mapped_column(String(3))  # M or MME
    last_name: Mapped[PersonName]
    first_name: Mapped[PersonName]
    address: Mapped[str] = mapped_column(String(120))
    postcode: Mapped[Postcode]
    city: Mapped[City]
    phone: Mapped[Phone] = mapped_column(default="")
    email: Mapped[Email] = mapped_column(default="")
    # État civil and FOCUS consent, as the client form records them (sent in the hand-off)
    birth_name: Mapped[PersonName] = mapped_column(default="")
    birth_date: Mapped[dt.date | None]
    birth_place: Mapped[str] = mapped_column(String(80), default="")
    birth_country: Mapped[str] = mapped_column(String(60), default="")
    nationality: Mapped[str] = mapped_column(String(60), default="")
    residence_country: Mapped[str] = mapped_column(String(60), default="France")
    consent: Mapped[list | None] = mapped_column(JSON, default=list)  # email, phone, sms, mail

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Order(IdColumn, TraceColumns, Base):
    """An offre à particulier; once generated, the bon de commande (same number) and its delivery."""
    __tablename__ = "pvo2_orders"
    number: Mapped[int] = mapped_column(unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("pvo2_customers.id"))
    # None once "Supprimer le véhicule" took it off an offer (until another one is added)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("pvo2_vehicles.id"), nullable=True)
    seller: Mapped[str] = mapped_column(String(80))
    created_on: Mapped[dt.date]
    expires_on: Mapped[dt.date]
    state: Mapped[str] = mapped_column(String(12), default="offre")  # offre, bdc, cloture, annulee
    bdc_on: Mapped[dt.date | None]
    closed_on: Mapped[dt.date | None]
    delivery_date: Mapped[dt.date | None]
    delivery_time: Mapped[str] = mapped_column(String(5), default="")
    origin: Mapped[str] = mapped_column(String(60), default="")  # Origine de la vente
    # Déclaration de garantie (set only when the centralisateur or PSA Assurance accepted it)
    garantisseur: Mapped[str] = mapped_column(String(20), default="")  # spoticar or psa_insurance
    bdc_number: Mapped[str] = mapped_column(String(30), default="", index=True)  # SP + RRDI + 9 digits
    declaration_url: Mapped[str] = mapped_column(String(500), default="")
    declaration_status: Mapped[str] = mapped_column(String(20), default="")
    contract_number: Mapped[str] = mapped_column(String(20), default="")
    policy_number: Mapped[str] = mapped_column(String(20), default="")
    comments: Mapped[list | None] = mapped_column(JSON, default=list)  # Commentaire … Ajouter

    customer: Mapped[Customer] = relationship(lazy="joined")
    vehicle: Mapped[Vehicle | None] = relationship(lazy="joined")
    trade_ins: Mapped[list["TradeIn"]] = relationship(lazy="selectin", order_by="TradeIn.id")
    co_holder: Mapped["CoHolder | None"] = relationship(lazy="selectin", uselist=False)

    @property
    def trade_in_total(self) -> Decimal:
        """What the reprises are worth (TTC): taken off the Reste à payer."""
        return sum((t.value_ttc for t in self.trade_ins), Decimal(0))


class Reservation(IdColumn, Base):
    """Réserver le véhicule: a stock vehicle held for one offer (at most one reservation a vehicle)."""
    __tablename__ = "pvo2_reservations"
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("pvo2_vehicles.id"), unique=True)
    order_number: Mapped[int] = mapped_column(index=True)
    reserved_on: Mapped[dt.date]


class TradeIn(IdColumn, Base):
    """Ajouter un véhicule à reprendre: the customer's vehicle taken in part-exchange (reprise)."""
    __tablename__ = "pvo2_trade_ins"
    order_id: Mapped[int] = mapped_column(ForeignKey("pvo2_orders.id"), index=True)
    plate: Mapped[Plate]
    brand: Mapped[Brand]
    model: Mapped[str] = mapped_column(String(80))
    first_registration: Mapped[dt.date | None]
    mileage_km: Mapped[int]
    value_ttc: Mapped[Money]


class CoHolder(IdColumn, Base):
    """Co-titulaire Ajoutez: the second holder of the registration (one per order)."""
    __tablename__ = "pvo2_co_holders"
    order_id: Mapped[int] = mapped_column(ForeignKey("pvo2_orders.id"), unique=True)
    civility: Mapped[str] = mapped_column(String(3))
    last_name: Mapped[PersonName]
    first_name: Mapped[PersonName]
    birth_date: Mapped[dt.date | None]
    phone: Mapped[Phone] = mapped_column(default="")

    @property
    def display_name(self) -> str:
        return f"{'M.' if self.civility == 'M' else 'Mme'} {self.first_name} {self.last_name}"


class VehicleActivity(IdColumn, Base):
    """A vehicle's Activité: what was done with it outside a sale (Envoi vers DS contact…)."""
    __tablename__ = "pvo2_vehicle_activity"
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("pvo2_vehicles.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # ds_contact
    text: Mapped[str] = mapped_column(String(200))


CallbackDelivery = delivery_model(Base, "pvo2")
Counter = define_counters(Base, "pvo2")  # order numbers (common.counters)
outbox = define_outbox(Base, "pvo2")  # Envoyer: the offer or order mailed to the customer, never sent
