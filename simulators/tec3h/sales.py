"""Gestion > Ventes: the orders with search, filters and page size, Imprimer and Modifier per order,
and Télécharger (CSV) of the filtered list."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import String, cast, func, or_, select

from common.dates import fr_date
from common import formats
from common.parsing import arg_int
from fixtures import reference
from simulators.tec3h.listing import csv_response
from simulators.tec3h.store import Customer, Order, Vehicle, Warranty

bp = Blueprint("sales", __name__)

PAGE_SIZES = (10, 25, 50, 100)


@dataclass
class SalesFilters:
    """Rechercher une commande…, Tous les commerciaux, Tous les services, Tout / Uniquement pro."""
    q: str = ""
    seller: str = ""
    service: str = ""
    pro_only: bool = False
    size: int = 25
    make: str = ""      # Tous les véhicules, or one make
    deliverer: str = ""  # Tous les livreurs, or the one who delivers (the order's Livreur, not its seller)
    page: int = 1

    @classmethod
    def from_args(cls, args) -> SalesFilters:
        stock = reference.load("tec3h_stock")
        return cls(q=(args.get("q") or "").strip()[:60],
                   seller=args.get("commercial", "") if args.get("commercial") in stock["sellers"] else "",
                   service=args.get("service", "") if args.get("service") in stock["services"] else "",
                   pro_only=args.get("clients") == "pro",
                   size=arg_int("afficher", 25, choices=PAGE_SIZES),
                   make=(args.get("vehicule") or "").strip()[:40],
                   deliverer=args.get("livreur", "") if args.get("livreur") in stock["sellers"] else "",
                   page=arg_int("page", 1, minimum=1, maximum=100_000))

    def query(self):
        stmt = select(Order).join(Order.customer).join(Order.vehicle).order_by(Order.number.desc())
        if self.q:
            like = f"%{self.q}%"
            stmt = stmt.where(or_(cast(Order.number, String).like(like), Vehicle.plate.like(like),
                                  Customer.birth_name.ilike(like), Customer.usage_name.ilike(like),
                                  Customer.company_name.ilike(like)))
        if self.seller:
            stmt = stmt.where(Order.seller == self.seller)
        if self.service:
            stmt = stmt.where(Order.service == self.service)
        if self.pro_only:
            stmt = stmt.where(Customer.kind == "pro")
        if self.make:
            stmt = stmt.where(Vehicle.make == self.make)
        if self.deliverer:
            stmt = stmt.where(Order.deliverer == self.deliverer)
        return stmt

    def args(self) -> dict:
        values = {"q": self.q, "commercial": self.seller, "service": self.service,
                  "clients": "pro" if self.pro_only else "", "afficher": self.size, "vehicule": self.make,
                  "livreur": self.deliverer}
        return {k: v for k, v in values.items() if v}


def _orders_with_contracts(filters: SalesFilters, limit: int | None, offset: int = 0):
    session = current_app.extensions["db"].session
    stmt = filters.query() if limit is None else filters.query().limit(limit).offset(offset)
    orders = session.scalars(stmt).unique().all()
    contracts = {w.order_id: w for w in session.scalars(
        select(Warranty).where(Warranty.order_id.in_([o.id for o in orders])))}
    return orders, contracts


@bp.get("/ventes")
def sales_list():
    filters = SalesFilters.from_args(request.args)
    session = current_app.extensions["db"].session
    total = session.scalar(select(func.count()).select_from(filters.query().order_by(None).subquery()))
    pages = max(1, -(-total // filters.size))
    filters.page = min(filters.page, pages)
    orders, contracts = _orders_with_contracts(filters, filters.size, (filters.page - 1) * filters.size)
    stock = reference.load("tec3h_stock")
    makes = sorted(set(session.scalars(select(Vehicle.make).join(Order, Order.vehicle_id == Vehicle.id))))
    return render_template("tec3h/sales.html", orders=orders, contracts=contracts, filters=filters,
                           sizes=PAGE_SIZES, sellers=stock["sellers"], services=stock["services"],
                           makes=makes, pages=pages)


@bp.get("/ventes/export.csv")
def sales_export():
    """Télécharger: every order of the filtered list, ';'-separated, UTF-8 with BOM."""
    orders, contracts = _orders_with_contracts(SalesFilters.from_args(request.args), None)
    header = ("N°", "Statut", "Date de vente", "Date de livraison", "Client", "Véhicule", "Immatriculation",
              "Commercial", "Mode paiement", "Total TTC", "N° bon de commande", "N° contrat")
    rows = ((o.number, o.status, fr_date(o.sale_date), fr_date(o.delivery_date), o.customer.display_name,
             o.vehicle.title, o.vehicle.plate, o.seller, o.payment_mode,
             formats.euros(o.total_ttc, symbol=False, grouping=False),
             contracts[o.id].bdc_number if o.id in contracts else "",
             contracts[o.id].contract_number if o.id in contracts else "") for o in orders)
    return csv_response(header, rows, "ventes-tec3h.csv")
