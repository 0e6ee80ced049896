"""The order (NOUVELLE PROPOSITION → Commande) of a stock vehicle, Modifier, Imprimer (PDF)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from sqlalchemy import select

from common import formats, parsing
from common.parsing import arg_int
from fixtures import reference
from simulators.tec3h.data import reads as _db
from simulators.tec3h.data import end_reads, writing
from simulators.tec3h.forms import ORDER_STATUSES, OrderForm
from common.counters import next_number
from simulators.tec3h.store import Counter, Customer, Order, OrderArticle, Vehicle, Warranty
from simulators.tec3h.warranty import refresh

bp = Blueprint("orders", __name__)

STATUSES = ORDER_STATUSES


def extra_lines() -> list[dict]:
    """The fixed lines added to every order (Carte Grise, frais…), from the reference data."""
    return [{**line, "ttc": Decimal(line["ttc"])} for line in reference.load("tec3h_stock")["order_lines"]]


def order_total(vehicle_price_ttc: Decimal, articles=()) -> Decimal:
    """Total TTC = vehicle price + the fixed lines + the articles added with Ajouter."""
    return (Decimal(vehicle_price_ttc) + sum(line["ttc"] for line in extra_lines())
            + sum((a.price_ttc for a in articles), Decimal(0)))


RESERVED = "Réservé"


def _order_form(**data) -> OrderForm:
    form = OrderForm(formdata=None, data=data) if data else OrderForm()
    form.customers = _db().scalars(select(Customer).order_by(Customer.id.desc())).all()
    return form


def _check_order(form: OrderForm, vehicle: Vehicle) -> dict | None:
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
    if v["km_max"] is not None and v["km_max"] < vehicle.mileage_km:
        form.add_error("km_max", f"Km max à la livraison : le véhicule a déjà {formats.km(vehicle.mileage_km)}.")
    if request.form.get("action") == "article":
        for name in ("article_designation", "article_prix"):
            if v[name] is None and not form[name].errors:
                form.add_error(name, f"Ajouter : renseignez le champ {form[name].short} de l'article.")
    if form.error_list:
        return None
    return dict(customer_id=v["client"], status=v["statut"], service=v["service"], seller=v["commercial"], deliverer=v["livreur"] or None,
                vehicle_price_ttc=v["prix"], km_max_delivery=v["km_max"], delivery_date=v["date_livraison"], sale_date=v["date_vente"],
                contact_origin=v["origine"], payment_mode=v["paiement"], financing=v["financement"],
                deposit_mode=v["mode_acompte"], deposit_ttc=v["acompte"])


def _form_values(order: Order) -> dict:
    return {"client": str(order.customer_id), "statut": order.status, "service": order.service,
            "commercial": order.seller, "livreur": order.deliverer or "",
            "prix": f"{order.vehicle_price_ttc:.2f}",
            "km_max": "" if order.km_max_delivery is None else str(order.km_max_delivery),
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
                           warranty=warranty, lines=extra_lines(),
                           total=order_total(price or Decimal(0), order.articles if order else ()),
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
    if request.form.get("action") == "reserver":
        return _toggle_reservation(vehicle.id, form)
    values = _check_order(form, vehicle)
    if values is None:
        return _render(vehicle, form)
    first = reference.load("tec3h_stock")["first_order_number"]
    with writing() as tx:  # BEGIN IMMEDIATE: two saves at once are serialised
        if tx.scalar(select(Order.id).where(Order.vehicle_id == vehicle_id)):
            flash("Ce véhicule a déjà un bon de commande (enregistré au même moment) : le voici.",
                  "error")
            return redirect(url_for("orders.order_new", vehicle_id=vehicle_id))
        number = next_number(tx, Counter, "order", Order.number, start=first)
        order = Order(number=number, vehicle_id=vehicle.id, total_ttc=0, **values)
        tx.add(order)
        tx.flush()
        article = _add_article(tx, order, form)
    return _saved(order, article)


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
    if request.form.get("action") == "reserver":
        return _toggle_reservation(order.vehicle_id, form, order)
    values = _check_order(form, order.vehicle)
    if values is None:
        return _render(order.vehicle, form, order)
    with writing() as tx:
        order = tx.get(Order, order_id)
        for key, value in values.items():
            setattr(order, key, value)
        article = _add_article(tx, order, form)
    return _saved(order, article)


def _add_article(tx, order: Order, form: OrderForm) -> OrderArticle | None:
    """Ajouter: the article typed under the content becomes a line of ``order``; the total follows."""
    article = None
    if request.form.get("action") == "article":
        v = form.values()
        article = OrderArticle(order_id=order.id, designation=v["article_designation"],
                               reference=v["article_reference"], price_ttc=v["article_prix"])
        tx.add(article)
        tx.flush()
        tx.refresh(order, ["articles"])
    order.total_ttc = order_total(order.vehicle_price_ttc, order.articles)
    return article


def _saved(order: Order, article: OrderArticle | None):
    flash(f"{order.status} N° {order.number} enregistrée.")
    if article is not None:  # back to the order, where the new line shows
        flash(f"Article « {article.designation} » ajouté.")
        return redirect(url_for("orders.order_edit", order_id=order.id) + "#articles")
    return redirect(url_for("stock.vehicle_card", vehicle_id=order.vehicle_id))


def _toggle_reservation(vehicle_id: int, form: OrderForm, order: Order | None = None):
    """Réserver (or Annuler la réservation): the vehicle's state, the typed order kept as it is."""
    with writing() as tx:
        vehicle = tx.get(Vehicle, vehicle_id)
        if vehicle.state == "Vendu":
            flash("Ce véhicule est vendu : il ne peut plus être réservé.", "error")
        else:
            vehicle.state = "Stock" if vehicle.state == RESERVED else RESERVED
            flash("Véhicule réservé." if vehicle.state == RESERVED else "Réservation du véhicule annulée.")
    form.customers = _db().scalars(select(Customer).order_by(Customer.id.desc())).all()
    end_reads()  # the read session shows the new state
    return _render(_db().get(Vehicle, vehicle_id), form, order)


@bp.get("/ventes/<int:order_id>/imprimer")
def order_print(order_id: int):
    """Imprimer: the Proposition / Bon de commande as a PDF."""
    from simulators.tec3h.pdf import order_pdf
    order = _db().get(Order, order_id) or abort(404)
    articles = [{"designation": a.designation, "reference": a.reference or "", "ttc": a.price_ttc}
                for a in order.articles]
    body = order_pdf(order, current_app.config["TEC3H_DEALER"], extra_lines() + articles)
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="bon-de-commande-{order.number}.pdf"'})
