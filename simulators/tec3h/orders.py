"""The order (NOUVELLE PROPOSITION → Commande) of a stock vehicle, Modifier, Imprimer (PDF)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from sqlalchemy import func, select

from common.dates import fr_date
from common.parsing import arg_int
from fixtures import reference
from simulators.tec3h.data import reads as _db
from simulators.tec3h.data import writing
from simulators.tec3h.forms import FormCheck
from simulators.tec3h.store import Customer, Order, Vehicle, Warranty
from simulators.tec3h.warranty import refresh

bp = Blueprint("orders", __name__)

STATUSES = ("Proposition", "Commande")


def extra_lines() -> list[dict]:
    """The fixed lines added to every order (Carte Grise, frais…), from the reference data."""
    return [{**line, "ttc": Decimal(line["ttc"])} for line in reference.load("tec3h_stock")["order_lines"]]


def order_total(vehicle_price_ttc: Decimal) -> Decimal:
    """Total TTC = vehicle price + the fixed lines."""
    return Decimal(vehicle_price_ttc) + sum(line["ttc"] for line in extra_lines())


def _check_order(form) -> tuple[dict, dict[str, str]]:
    stock = reference.load("tec3h_stock")
    check = FormCheck(form)
    customer_id = check.integer("client", "Client", required=True, low=1, high=10**9)
    values = dict(
        status=check.choice("statut", "Statut", STATUSES),
        service=check.choice("service", "Service", stock["services"], required=False),
        seller=check.choice("commercial", "Commercial", stock["sellers"]),
        vehicle_price_ttc=check.money("prix", "PU TTC du véhicule", required=True),
        delivery_date=check.date("date_livraison", "Date de livraison"),
        sale_date=check.date("date_vente", "Date de vente"),
        contact_origin=check.choice("origine", "Origine du contact", stock["contact_origins"], False),
        payment_mode=check.choice("paiement", "Mode paiement", stock["payment_modes"]),
    )
    if customer_id and _db().get(Customer, customer_id) is None:
        check.fail("client", "Client introuvable : choisissez un client existant ou créez-le.")
    if values["status"] == "Commande":
        for name, label in (("date_vente", "Date de vente"), ("date_livraison", "Date de livraison")):
            if not check.raw(name):
                check.fail(name, f"Le champ {label} est obligatoire pour une commande.")
    if values["sale_date"] and values["delivery_date"] and values["delivery_date"] < values["sale_date"]:
        check.fail("date_livraison", "La date de livraison ne peut pas précéder la date de vente.")
    values["customer_id"] = customer_id
    return values, check.errors


def _form_values(order: Order) -> dict:
    return {"client": str(order.customer_id), "statut": order.status, "service": order.service,
            "commercial": order.seller, "prix": f"{order.vehicle_price_ttc:.2f}",
            "date_livraison": fr_date(order.delivery_date), "date_vente": fr_date(order.sale_date),
            "origine": order.contact_origin, "paiement": order.payment_mode}


def _render(vehicle: Vehicle, form, errors, order: Order | None = None):
    stock = reference.load("tec3h_stock")
    customers = _db().scalars(select(Customer).order_by(Customer.id.desc())).all()
    price = FormCheck(form).money("prix", "prix") if form.get("prix") else vehicle.price_ttc
    warranty = order and _db().scalar(select(Warranty).where(Warranty.order_id == order.id))
    refresh(warranty)
    return render_template("tec3h/order_form.html", vehicle=vehicle, order=order, form=form,
                           warranty=warranty,
                           errors=errors, customers=customers, statuses=STATUSES,
                           services=stock["services"], sellers=stock["sellers"],
                           payments=stock["payment_modes"], origins=stock["contact_origins"],
                           lines=extra_lines(), total=order_total(price or Decimal(0)),
                           today=dt.date.today()), (422 if errors else 200)


@bp.route("/vehicules/<int:vehicle_id>/offre", methods=["GET", "POST"])
def order_new(vehicle_id: int):
    """Créer une offre for a stock vehicle; a vehicle with an order opens that order instead."""
    vehicle = _db().get(Vehicle, vehicle_id) or abort(404)
    existing = _db().scalar(select(Order).where(Order.vehicle_id == vehicle_id))
    if existing:
        return redirect(url_for("orders.order_edit", order_id=existing.id))
    if request.method == "GET":
        stock = reference.load("tec3h_stock")
        form = {"statut": "Proposition", "service": "Aucun service", "commercial": stock["sellers"][0],
                "prix": f"{vehicle.price_ttc:.2f}", "origine": "Inconnue", "paiement": "Virement",
                "client": request.args.get("client", "")}
        return _render(vehicle, form, {})
    values, errors = _check_order(request.form)
    if errors:
        return _render(vehicle, request.form, errors)
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
        form = _form_values(order)
        client = arg_int("client")  # back from "Créer un client"
        if client is not None:
            form["client"] = str(client)
        return _render(order.vehicle, form, {}, order)
    values, errors = _check_order(request.form)
    if errors:
        return _render(order.vehicle, request.form, errors, order)
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
