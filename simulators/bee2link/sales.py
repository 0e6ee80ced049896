"""Saisie d'une vente VO: the vehicle, its customer and its order entered in one screen (the vehicle
lands at Livraison, ready for Services externes → Déclaration SPOTICAR), and the same screen to correct
the sale before it is declared."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, redirect, request, url_for
from sqlalchemy import func, select

from simulators.bee2link import views
from simulators.bee2link.store import Event, Order, Vehicle
from simulators.dms.sale_form import SaleForm, form_data, new_sale

bp = Blueprint("bee2link_sales", __name__)
DECLARED = ("contract_pending", "declared")


def _render(form: SaleForm, vehicle: Vehicle | None = None, status: int = 200, error: str | None = None):
    return views.render_screen("bee2link/sale_form.html", status, form=form, edited=vehicle, error=error)


@bp.route("/vo/ventes/nouvelle", methods=["GET", "POST"])
def sale_new():
    """A sale entered from scratch: vehicle (at Livraison), customer, order."""
    form, page = new_sale(_render)
    if page:
        return page
    sale, s = form.sale(), views.db().session
    vehicle = Vehicle(rrdi=views.current_dealer()["rrdi"], stage="livraison", origin="particulier",
                      stage_since=dt.date.today(), price_ttc=sale["price_ttc"], documents=[], **form.vehicle())
    s.add(vehicle)
    s.flush()
    s.add(Order(number=(s.scalar(select(func.max(Order.number))) or 9000) + 1, vehicle_id=vehicle.id,
                customer=form.customer(), trade_in_value=None, **_order(sale)))
    s.add(Event(vehicle_id=vehicle.id, kind="history", text="Vente saisie : véhicule en Livraison"))
    s.commit()
    return redirect(url_for("bee2link.delivery", vehicle_id=vehicle.id), 303)


@bp.route("/vo/vehicules/<int:vehicle_id>/vente", methods=["GET", "POST"])
def sale_edit(vehicle_id: int):
    """Correct the vehicle's sale (until its declaration is done)."""
    vehicle = views.vehicle_or_404(vehicle_id)
    order = vehicle.order
    if order is None:
        return views.render_screen("bee2link/vehicle.html", 404, vehicle=vehicle, panel="fiche",
                                   error="Ce véhicule n'a pas de commande.")
    if request.method == "GET":
        return _render(SaleForm(formdata=None, data=form_data(vehicle, order.customer, {
            "seller": order.seller, "sale_date": order.sale_date, "delivery_date": order.delivery_date,
            "price_ttc": f"{order.price_ttc:.2f}", "origin": order.sale_origin,
            "warranty_level": order.warranty_level})), vehicle)
    form = SaleForm()
    if order.declaration_status in DECLARED:
        return _render(form, vehicle, 409, "La garantie de cette vente est déclarée : elle ne se modifie plus.")
    if not form.validate():
        return _render(form, vehicle, 422)
    for name, value in form.vehicle().items():
        setattr(vehicle, name, value)
    for name, value in _order(form.sale()).items():
        setattr(order, name, value)
    order.customer, vehicle.price_ttc = form.customer(), order.price_ttc
    views.db().session.commit()
    return redirect(url_for("bee2link.delivery", vehicle_id=vehicle.id), 303)


def _order(sale: dict) -> dict:
    return {"seller": sale["seller"], "sale_date": sale["sale_date"], "delivery_date": sale["delivery_date"],
            "price_ttc": sale["price_ttc"], "sale_origin": sale["origin"], "warranty_level": sale["warranty_level"]}
