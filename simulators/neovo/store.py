"""NeoVO's own store: sale dossiers (vehicle, customer, sale pieces) and their Spoticar declaration."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from common.columns import IdColumn, Money
from common.counters import define_counters
from simulators.dms.store import DeclarationColumns, VehicleColumns, delivery_model


class Base(DeclarativeBase):
    pass


class Dossier(IdColumn, VehicleColumns, DeclarationColumns, Base):
    """A VO sale dossier (V0000004…): vehicle, customer, sale, pieces and its Spoticar declaration."""
    __tablename__ = "neovo_dossiers"
    number: Mapped[str] = mapped_column(String(10), unique=True)  # V0000004
    rrdi: Mapped[str] = mapped_column(String(7), index=True)
    client_code: Mapped[str] = mapped_column(String(10))
    customer: Mapped[dict] = mapped_column(JSON)
    seller: Mapped[str] = mapped_column(String(80))
    sale_date: Mapped[dt.date]
    delivery_date: Mapped[dt.date]
    warranty_level: Mapped[str] = mapped_column(String(60))
    sale_origin: Mapped[str | None] = mapped_column(String(60))  # Origine de la vente (None: demo data)
    pieces: Mapped[list["Piece"]] = relationship(back_populates="dossier", order_by="Piece.id")

    @property
    def client_label(self) -> str:
        """"ZAWADZKI VINCENT - 621239", as the pieces table shows the customer."""
        c = self.customer
        return f"{c['last_name'].upper()} {(c.get('first_name') or '').upper()} - {self.client_code}"

    @property
    def invoice(self) -> "Piece | None":
        """The dossier's invoice (facture), whose T.T.C is the sale price."""
        return next((p for p in self.pieces if p.kind == "facture"), None)


class Piece(IdColumn, Base):
    """A sale piece (facture, avoir, proforma…) of a dossier."""
    __tablename__ = "neovo_pieces"
    dossier_id: Mapped[int] = mapped_column(ForeignKey("neovo_dossiers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date]
    number: Mapped[str] = mapped_column(String(10), unique=True)
    amount_ht: Mapped[Money]
    amount_tva: Mapped[Money]
    amount_ttc: Mapped[Money]
    dossier: Mapped[Dossier] = relationship(back_populates="pieces")


CallbackDelivery = delivery_model(Base, "neovo")
Counter = define_counters(Base, "neovo")  # dossier numbers entered on screen (common.counters)
