"""NeoVO's own store: sale dossiers (vehicle, customer, sale pieces) and their Spoticar declaration."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Dossier(Base):
    __tablename__ = "neovo_dossiers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(10), unique=True)  # V0000004
    rrdi: Mapped[str] = mapped_column(String(7), index=True)
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
    ptac_kg: Mapped[int] = mapped_column(Integer)
    usage: Mapped[str] = mapped_column(String(30), default="particulier")
    client_code: Mapped[str] = mapped_column(String(10))
    customer: Mapped[dict] = mapped_column(JSON)
    seller: Mapped[str] = mapped_column(String(80))
    sale_date: Mapped[dt.date] = mapped_column(Date)
    delivery_date: Mapped[dt.date] = mapped_column(Date)
    warranty_level: Mapped[str] = mapped_column(String(60))
    bdc_number: Mapped[str | None] = mapped_column(String(30), unique=True)
    declaration_url: Mapped[str | None] = mapped_column(String(500))
    declaration_status: Mapped[str | None] = mapped_column(String(20))
    garantisseur: Mapped[str | None] = mapped_column(String(80))
    contract_number: Mapped[str | None] = mapped_column(String(11))
    pieces: Mapped[list[Piece]] = relationship(back_populates="dossier", order_by="Piece.id")

    @property
    def title(self) -> str:
        return f"{self.brand} {self.model} {self.version}"

    @property
    def client_label(self) -> str:
        """"ZAWADZKI VINCENT - 621239", as the pieces table shows the customer."""
        c = self.customer
        return f"{c['last_name'].upper()} {(c.get('first_name') or '').upper()} - {self.client_code}"

    @property
    def invoice(self) -> Piece | None:
        return next((p for p in self.pieces if p.kind == "facture"), None)


class Piece(Base):
    """A sale piece (facture, avoir, proforma…) of a dossier."""
    __tablename__ = "neovo_pieces"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("neovo_dossiers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date] = mapped_column(Date)
    number: Mapped[str] = mapped_column(String(10), unique=True)
    amount_ht: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    amount_tva: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    amount_ttc: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    dossier: Mapped[Dossier] = relationship(back_populates="pieces")
