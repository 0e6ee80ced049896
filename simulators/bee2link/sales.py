"""Saisie d'une vente VO: the vehicle, its customer and its order entered in one screen (the vehicle
lands at Livraison, ready for Services externes → Déclaration SPOTICAR), and the same screen to correct
the sale before it is declared."""
from __future__ import annotations

import datetime as dt
import functools

from flask import Blueprint, url_for
from sqlalchemy import select

from simulators.bee2link import views
from common.counters import next_number
from simulators.bee2link.store import Counter, Event, Order, Vehicle
from simulators.dms.sale_form import DECLARED, SaleForm, blank_sale, form_data, sale_screen

bp = Blueprint("bee2link_sales", __name__)


def _render(form: SaleForm, vehicle: Vehicle | None = None, status: int = 200, error: str | None = None):
    return views.render_screen("bee2link/sale_form.html", status, form=form, edited=vehicle, error=error)


@bp.route("/vo/ventes/nouvelle", methods=["GET", "POST"])
def sale_new():
    """A sale entered from scratch: vehicle (at Livraison), customer, order."""
    return sale_screen(_render, _add_sale, blank_sale())


def _add_sale(form: SaleForm, s) -> str:
    sale, rrdi = form.sale(), views.current_dealer()["rrdi"]
    # the same sale sent again (a double click, a second tab): the one stored, never a second vehicle
    # and order (each would be declared: two contracts for one car)
    same = s.scalar(select(Vehicle.id).join(Order, Order.vehicle_id == Vehicle.id).where(
        Vehicle.rrdi == rrdi, Vehicle.vin == form.vehicle()["vin"], Order.sale_date == sale["sale_date"]))
    if same is not None:
        return url_for("bee2link.delivery", vehicle_id=same)
    vehicle = Vehicle(rrdi=rrdi, stage="livraison", origin="particulier",
                      stage_since=dt.date.today(), price_ttc=sale["price_ttc"], documents=[], **form.vehicle())
    s.add(vehicle)
    s.flush()
    s.add(Order(number=next_number(s, Counter, "order", Order.number, start=9001), vehicle_id=vehicle.id,
                customer=form.customer(), trade_in_value=None, **_order(sale)))
    s.add(Event(vehicle_id=vehicle.id, kind="history", text="Vente saisie : véhicule en Livraison"))
    return url_for("bee2link.delivery", vehicle_id=vehicle.id)


@bp.route("/vo/vehicules/<int:vehicle_id>/vente", methods=["GET", "POST"])
def sale_edit(vehicle_id: int):
    """Correct the vehicle's sale (until its declaration is done)."""
    vehicle = views.vehicle_or_404(vehicle_id)
    order = vehicle.order
    if order is None:
        return views.render_screen("bee2link/vehicle.html", 404, vehicle=vehicle, panel="fiche",
                                   error="Ce véhicule n'a pas de commande.")
    return sale_screen(functools.partial(_render, vehicle=vehicle), functools.partial(_correct, vehicle),
                       form_data(vehicle, order, f"{order.price_ttc:.2f}"),
                       "La garantie de cette vente est déclarée : elle ne se modifie plus."
                       if order.declaration_status in DECLARED else None)


def _correct(vehicle: Vehicle, form: SaleForm, s) -> str:
    vehicle = s.get(Vehicle, vehicle.id)  # in the write transaction
    for name, value in form.vehicle().items():
        setattr(vehicle, name, value)
    for name, value in _order(form.sale()).items():
        setattr(vehicle.order, name, value)
    vehicle.order.customer, vehicle.price_ttc = form.customer(), vehicle.order.price_ttc
    return url_for("bee2link.delivery", vehicle_id=vehicle.id)


def _order(sale: dict) -> dict:
    return {"seller": sale["seller"], "sale_date": sale["sale_date"], "delivery_date": sale["delivery_date"],
            "price_ttc": sale["price_ttc"], "sale_origin": sale["origin"], "warranty_level": sale["warranty_level"]}
