"""The order (NOUVELLE PROPOSITION → Commande) of a stock vehicle, Modifier, Imprimer (PDF)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from sqlalchemy import func, select

from common import parsing
from common.parsing import arg_int
from fixtures import reference
from simulators.tec3h.data import reads as _db
from simulators.tec3h.data import writing
from simulators.tec3h.forms import ORDER_STATUSES, OrderForm
from simulators.tec3h.store import Customer, Order, Vehicle, Warranty
from simulators.tec3h.warranty import refresh

bp = Blueprint("orders", __name__)

STATUSES = ORDER_STATUSES


def extra_lines() -> list[dict]:
    """The fixed lines added to every order (Carte Grise, frais…), from the reference data."""
    return [{**line, "ttc": Decimal(line["ttc"])} for line in reference.load("tec3h_stock")["order_lines"]]


def order_total(vehicle_price_ttc: Decimal) -> Decimal:
    """Total TTC = vehicle price + the fixed lines."""
    return Decimal(vehicle_price_ttc) + sum(line["ttc"] for line in extra_lines())


def _order_form(**data) -> OrderForm:
    form = OrderForm(formdata=None, data=data) if data else OrderForm()
    form.customers = _db().scalars(select(Customer).order_by(Customer.id.desc())).all()
    return form


def _check_order(form: OrderForm) -> dict | None:
    """The order's stored values, or None with the messages left on ``form``."""
    form.validate()
    v = form.values()
    if v["client"] and _db().get(Customer, v["client"]) is None:
        form.add_error("client", "Client introuvable : choisissez un client existant ou créez-le.")
    if v["statut"] == "Commande":
        for field in (form.date_vente, form.date_livraison):
            if not field.data:
                form.add_error(field.name, f"Le champ {field.short or field.label.text} est obligatoire pour "
                                           "une commande.")
    if v["date_vente"] and v["date_livraison"] and v["date_livraison"] < v["date_vente"]:
        form.add_error("date_livraison", "La date de livraison ne peut pas précéder la date de vente.")
    if form.error_list:
        return None
    return dict(customer_id=v["client"], status=v["statut"], service=v["service"], seller=v["commercial"], deliverer=v["livreur"] or None,
                vehicle_price_ttc=v["prix"], delivery_date=v["date_livraison"], sale_date=v["date_vente"],
                contact_origin=v["origine"], payment_mode=v["paiement"], financing=v["financement"],
                deposit_mode=v["mode_acompte"], deposit_ttc=v["acompte"])


def _form_values(order: Order) -> dict:
    return {"client": str(order.customer_id), "statut": order.status, "service": order.service,
            "commercial": order.seller, "livreur": order.deliverer or "",
            "prix": f"{order.vehicle_price_ttc:.2f}",
            "date_livraison": order.delivery_date, "date_vente": order.sale_date,
            "origine": order.contact_origin, "paiement": order.payment_mode,
            "financement": order.financing, "mode_acompte": order.deposit_mode,
            "acompte": f"{order.deposit_ttc:.2f}" if order.deposit_ttc is not None else ""}


def _render(vehicle: Vehicle, form: OrderForm, order: Order | None = None):
    try:
        price = parsing.parse_decimal(form.prix.data)
    except parsing.ParseError:
        price = vehicle.price_ttc
    warranty = order and _db().scalar(select(Warranty).where(Warranty.order_id == order.id))
    refresh(warranty)
    return render_template("tec3h/order_form.html", vehicle=vehicle, order=order, form=form,
                           warranty=warranty, lines=extra_lines(), total=order_total(price or Decimal(0)),
                           today=dt.date.today(), now=dt.datetime.now()), (422 if form.error_list else 200)


@bp.route("/vehicules/<int:vehicle_id>/offre", methods=["GET", "POST"])
def order_new(vehicle_id: int):
    """Créer une offre for a stock vehicle; a vehicle with an order opens that order instead."""
    vehicle = _db().get(Vehicle, vehicle_id) or abort(404)
    existing = _db().scalar(select(Order).where(Order.vehicle_id == vehicle_id))
    if existing:
        return redirect(url_for("orders.order_edit", order_id=existing.id))
    if request.method == "GET":
        stock = reference.load("tec3h_stock")
        return _render(vehicle, _order_form(
            statut="Proposition", service="Aucun service", commercial=stock["sellers"][0],
            prix=f"{vehicle.price_ttc:.2f}", origine="Inconnue", paiement="Virement",
            client=request.args.get("client", "")))
    form = _order_form()
    values = _check_order(form)
    if values is None:
        return _render(vehicle, form)
    first = reference.load("tec3h_stock")["first_order_number"]
    with writing() as tx:  # BEGIN IMMEDIATE: two saves at once are serialised
        if tx.scalar(select(Order.id).where(Order.vehicle_id == vehicle_id)):
            flash("Ce véhicule a déjà un bon de commande (enregistré au même moment) : le voici.",
                  "error")
            return redirect(url_for("orders.order_new", vehicle_id=vehicle_id))
        number = max(tx.scalar(select(func.max(Order.number))) or 0, first - 1) + 1
        order = Order(number=number, vehicle_id=vehicle.id,
                      total_ttc=order_total(values["vehicle_price_ttc"]), **values)
        tx.add(order)
    flash(f"{order.status} N° {order.number} enregistrée.")
    return redirect(url_for("stock.vehicle_card", vehicle_id=vehicle.id))


@bp.route("/ventes/<int:order_id>/modifier", methods=["GET", "POST"])
def order_edit(order_id: int):
    order = _db().get(Order, order_id) or abort(404)
    if request.method == "GET":
        data = _form_values(order)
        client = arg_int("client")  # back from "Créer un client"
        if client is not None:
            data["client"] = str(client)
        return _render(order.vehicle, _order_form(**data), order)
    form = _order_form()
    values = _check_order(form)
    if values is None:
        return _render(order.vehicle, form, order)
    with writing() as tx:
        order = tx.get(Order, order_id)
        for key, value in values.items():
            setattr(order, key, value)
        order.total_ttc = order_total(order.vehicle_price_ttc)
    flash(f"{order.status} N° {order.number} enregistrée.")
    return redirect(url_for("stock.vehicle_card", vehicle_id=order.vehicle_id))


@bp.get("/ventes/<int:order_id>/imprimer")
def order_print(order_id: int):
    """Imprimer: the Proposition / Bon de commande as a PDF."""
    from simulators.tec3h.pdf import order_pdf
    order = _db().get(Order, order_id) or abort(404)
    body = order_pdf(order, current_app.config["TEC3H_DEALER"], extra_lines())
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="bon-de-commande-{order.number}.pdf"'})
