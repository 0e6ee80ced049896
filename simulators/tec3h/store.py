"""Tec3H tables: stock vehicles, customers, orders (proposition → commande) and Spoticar warranties."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from common.columns import (Brand, City, Email, Energy, IdColumn, Money, PersonName, Phone, Postcode, Siret,
                            Version, Vin)
from common.counters import define_counters
from common.db import utcnow
from simulators.dms.store import TraceColumns, delivery_model


class Base(DeclarativeBase):
    pass


class Vehicle(IdColumn, Base):
    """A stock vehicle, recognised in the referential (``version_id``)."""
    __tablename__ = "tec3h_vehicles"
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    make: Mapped[Brand]
    model: Mapped[str] = mapped_column(String(60))
    version_id: Mapped[str] = mapped_column(String(12))
    version: Mapped[Version]
    equivalence: Mapped[str] = mapped_column(String(40))
    energy: Mapped[Energy]
    gearbox: Mapped[str] = mapped_column(String(20))
    first_registration: Mapped[dt.date]
    model_year: Mapped[int]
    plate: Mapped[str | None] = mapped_column(String(12), index=True)
    vin: Mapped[Vin | None]
    mileage_km: Mapped[int] = mapped_column(default=0)
    co2: Mapped[int | None]
    din_power: Mapped[int]
    kw_power: Mapped[int]
    fiscal_power: Mapped[int]
    displacement_cc: Mapped[int | None]
    color: Mapped[str | None] = mapped_column(String(30))
    interior_color: Mapped[str | None] = mapped_column(String(30))    # Couleur intérieure
    commercial_color: Mapped[str | None] = mapped_column(String(30))  # Couleur commerciale
    key_count: Mapped[int | None]                                     # Nombre de clés
    first_hand: Mapped[bool] = mapped_column(default=False)           # Première main
    price_ttc: Mapped[Money] = mapped_column(default=Decimal(0))
    ptac_kg: Mapped[int | None]  # poids total autorisé en charge
    state: Mapped[str] = mapped_column(String(30), default="Stock")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def title(self) -> str:
        """"Peugeot 308 (2) BlueHDI 130 EAT6 S&S ALLURE", as the stock list shows it."""
        return f"{self.make} {self.model} {self.version}"


class Customer(IdColumn, Base):
    """A particulier or a pro (``kind``): a pro has a Raison sociale and no Nom de naissance."""
    __tablename__ = "tec3h_customers"
    kind: Mapped[str] = mapped_column(String(12))            # particulier | pro
    category: Mapped[str | None] = mapped_column(String(40))
    contact_origin: Mapped[str | None] = mapped_column(String(40))
    civility: Mapped[str | None] = mapped_column(String(4))  # M | MME
    birth_name: Mapped[PersonName | None]
    usage_name: Mapped[PersonName | None]
    first_names: Mapped[PersonName | None]
    profession: Mapped[str | None] = mapped_column(String(80))
    birth_date: Mapped[dt.date | None]
    birth_city: Mapped[City | None]
    birth_department: Mapped[str | None] = mapped_column(String(40))
    birth_country: Mapped[str | None] = mapped_column(String(60))
    company_name: Mapped[str | None] = mapped_column(String(120))
    siret: Mapped[Siret | None]
    vat_number: Mapped[str | None] = mapped_column(String(20))
    id_type: Mapped[str | None] = mapped_column(String(30))
    id_number: Mapped[str | None] = mapped_column(String(30))
    id_issue_date: Mapped[dt.date | None]
    id_issue_city: Mapped[City | None]
    licence_number: Mapped[str | None] = mapped_column(String(30))
    licence_category: Mapped[str | None] = mapped_column(String(10))
    licence_issue_date: Mapped[dt.date | None]
    main_driver: Mapped[bool] = mapped_column(default=True)
    address: Mapped[str | None] = mapped_column(String(120))
    address2: Mapped[str | None] = mapped_column(String(120))
    postcode: Mapped[Postcode | None]
    city: Mapped[City | None]
    phone: Mapped[Phone | None]
    mobile: Mapped[Phone | None]
    email: Mapped[Email | None]
    sex: Mapped[str | None] = mapped_column(String(1))
    co_holder: Mapped[dict | None] = mapped_column(JSON)  # Identité du co-titulaire
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def last_name(self) -> str:
        return self.birth_name or self.usage_name or self.company_name or ""

    @property
    def display_name(self) -> str:
        """"DUPONT JEAN" for a particulier, the Raison sociale for a pro."""
        if self.kind == "pro":
            return (self.company_name or "").upper()
        name = (self.usage_name or self.birth_name or "").upper()
        return f"{name} {(self.first_names or '').upper()}".strip()


class Order(IdColumn, Base):
    """A proposition or a commande for one stock vehicle."""
    __tablename__ = "tec3h_orders"
    number: Mapped[int] = mapped_column(unique=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("tec3h_vehicles.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("tec3h_customers.id"))
    status: Mapped[str] = mapped_column(String(20))          # Proposition | Commande
    service: Mapped[str | None] = mapped_column(String(40))
    seller: Mapped[str] = mapped_column(String(80))
    deliverer: Mapped[str | None] = mapped_column(String(80))  # Livreur: who hands the car over
    vehicle_price_ttc: Mapped[Money]
    km_max_delivery: Mapped[int | None]  # Km max à la livraison, promised to the buyer
    delivery_date: Mapped[dt.date | None]
    sale_date: Mapped[dt.date | None]
    contact_origin: Mapped[str | None] = mapped_column(String(40))
    payment_mode: Mapped[str] = mapped_column(String(30))
    total_ttc: Mapped[Money]
    financing: Mapped[str | None] = mapped_column(String(40))      # Organisme de financement
    deposit_mode: Mapped[str | None] = mapped_column(String(30))   # Mode d'acompte
    deposit_ttc: Mapped[Money | None]  # Acompte
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    vehicle: Mapped[Vehicle] = relationship(lazy="joined")
    customer: Mapped[Customer] = relationship(lazy="joined")
    articles: Mapped[list["OrderArticle"]] = relationship(lazy="selectin", order_by="OrderArticle.id")


class OrderArticle(IdColumn, Base):
    """A line added with "Ajouter" under the order's content (Articles: accessories, services…)."""
    __tablename__ = "tec3h_order_articles"
    order_id: Mapped[int] = mapped_column(ForeignKey("tec3h_orders.id"), index=True)
    designation: Mapped[str] = mapped_column(String(120))
    reference: Mapped[str | None] = mapped_column(String(30))
    price_ttc: Mapped[Money]


class Warranty(IdColumn, TraceColumns, Base):
    """A Spoticar warranty request: the validated form is stored before any hand-off, so a
    centralisateur that is down or refuses loses nothing and the dealer can retry."""
    __tablename__ = "tec3h_warranties"
    order_id: Mapped[int] = mapped_column(ForeignKey("tec3h_orders.id"), unique=True)
    form: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft|not_sent|refused|pending|…
    bdc_number: Mapped[str | None] = mapped_column(String(30), index=True)
    declaration_url: Mapped[str | None] = mapped_column(String(500))
    contract_number: Mapped[str | None] = mapped_column(String(20))
    garantisseur: Mapped[str | None] = mapped_column(String(80))
    last_error: Mapped[str | None] = mapped_column(String(2000))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    order: Mapped[Order] = relationship(lazy="joined")


CallbackDelivery = delivery_model(Base, "tec3h")
Counter = define_counters(Base, "tec3h")  # order, client and vehicle numbers (common.counters)
