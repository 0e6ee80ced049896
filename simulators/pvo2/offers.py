"""Offres et bons de commande: list and counters, Créer une offre à particulier, Générer le bon de
commande (refused without label and warranty level on the vehicle card)."""
from __future__ import annotations

import datetime as dt
from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import or_, select

from common.parsing import ParseError, parse_int
from simulators.pvo2 import context, offer_vehicle
from simulators.pvo2.forms import CommentForm, OfferForm
from simulators.pvo2.store import Customer, Order, Vehicle

bp = Blueprint("offers", __name__, url_prefix="/offres")

OFFER_VALIDITY_DAYS = 7
LIST_STATES = {"": "Tous", "offre": "Offres en cours", "bdc": "BDC en cours (non clos)", "cloture": "BDC clôturés"}


def counters(orders: list[Order], today: dt.date) -> dict[str, int]:
    """The four counters above the list."""
    offers = [o for o in orders if o.state == "offre"]
    return {"à ajuster": sum(o.expires_on < today for o in offers),
            "expiring": sum(today <= o.expires_on <= today + dt.timedelta(days=2) for o in offers),
            "en cours": len(offers),
            "bdc": sum(o.state == "bdc" for o in orders)}


@bp.get("/")
def index():
    """Offres et bons de commande, newest first; search by N°offre, N°BDC, client or plate."""
    query = (request.args.get("q") or "").strip()
    state = request.args.get("etat", "") if request.args.get("etat") in LIST_STATES else ""
    with context.db().transaction() as session:
        stmt = (select(Order).join(Order.customer).outerjoin(Order.vehicle)
                .where(Order.state != "annulee").order_by(Order.number.desc()))
        everything = list(session.scalars(stmt).unique())
        if query:
            like = f"%{query}%"
            stmt = stmt.where(or_(Customer.last_name.ilike(like), Customer.first_name.ilike(like),
                                  Vehicle.plate.ilike(like), Order.bdc_number.ilike(like),
                                  Order.number == _order_number(query)))
        if state:
            stmt = stmt.where(Order.state == state)
        orders = list(session.scalars(stmt).unique())
        return render_template("pvo2/offers.html", orders=orders, query=query, today=dt.date.today(),
                               counters=counters(everything, dt.date.today()), state=state, states=LIST_STATES)


def _order_number(query: str) -> int:
    """The N°offre the search text stands for, -1 (matches nothing) when it is no order number."""
    try:
        return parse_int(query, grouping=False) or -1
    except ParseError:
        return -1


def _vehicles(session) -> list[Vehicle]:
    return list(session.scalars(select(Vehicle).where(context.for_sale())
                                .order_by(Vehicle.brand, Vehicle.model)))


@bp.route("/nouvelle", methods=["GET", "POST"])
def new():
    """Créer une offre à particulier: the customer and the vehicle to sell."""
    with context.db().transaction() as session:
        vehicles = _vehicles(session)
        if request.method == "GET":
            form = OfferForm(formdata=None, data={"vehicle_id": request.args.get("vehicle_id", "")})
        else:
            form = OfferForm()
        form.vehicles = vehicles
        if request.method == "GET":
            return render_template("pvo2/offer_new.html", form=form, errors=[])
        if form.validate():
            vehicle_id = _order_number(form.vehicle_id.value)
            if session.get(Vehicle, vehicle_id) is None:
                form.add_error("vehicle_id", "Véhicule : choisissez un véhicule du stock.")
            elif (sale := context.sale_of(session, vehicle_id)) is not None:
                form.add_error("vehicle_id", f"Véhicule : {context.sold_message(sale)}")
        if form.error_list:
            return render_template("pvo2/offer_new.html", form=form,
                                   errors=[message for _, message in form.error_list]), 422
        values = form.values()
        customer = Customer(civility=values["civility"], last_name=values["last_name"],
                            first_name=values["first_name"], address=values["address"],
                            postcode=values["postcode"], city=values["city"], phone=values["phone"] or "",
                            email=values["email"] or "")
        session.add(customer)
        session.flush()
        today = dt.date.today()
        order = Order(number=context.next_order_number(session), customer_id=customer.id,
                      vehicle_id=vehicle_id, seller=context.seller()["name"], created_on=today,
                      expires_on=today + dt.timedelta(days=OFFER_VALIDITY_DAYS), state="offre")
        session.add(order)
        number = order.number
    flash(f"Offre n°{number} créée.", "success")
    return redirect(url_for("offers.show", number=number))


def _to_order_page(order: Order):
    """A generated bon de commande is shown and handled on its order page."""
    return redirect(url_for("deliveries.order", number=order.number)) if order.state != "offre" else None


@bp.get("/<int:number>")
def show(number: int):
    """The offer (or, once generated, its bon de commande: then the order page)."""
    with context.order_transaction(number, _to_order_page) as (session, order):
        return offer_vehicle.page_of(order)


def label_refusal(vehicle: Vehicle) -> str | None:
    """The seed's message when the vehicle card lacks the label or the warranty level."""
    if vehicle.label in context.LABELS and vehicle.warranty_level:
        return None
    return context.ATTENTION_LABEL


@bp.post("/<int:number>/bon-de-commande")
def generate_bdc(number: int):
    """Générer le bon de commande: the offer becomes an order, if the vehicle card allows it."""
    with context.order_transaction(number, _to_order_page) as (session, order):
        if order.vehicle is None:
            return offer_vehicle.page_of(order, [offer_vehicle.NO_VEHICLE], 422)
        sale = context.sale_of(session, order.vehicle_id, other_than=number)
        refusal = (context.sold_message(sale) if sale is not None else
                   offer_vehicle.reserved_elsewhere(session, order) or label_refusal(order.vehicle))
        if refusal:
            return offer_vehicle.page_of(order, [refusal], 422)
        offer_vehicle.release(session, order)  # sold now: the reservation has done its job
        order.state, order.bdc_on = "bdc", dt.date.today()
    flash(f"Bon de commande n°{number} généré.", "success")
    return redirect(url_for("deliveries.order", number=number))


@bp.post("/<int:number>/commentaire")
def comment(number: int):
    """Commentaire … Ajouter, on an offer or its bon de commande (500 characters at most)."""
    form = CommentForm()
    with context.order_transaction(number) as (session, order):
        if not form.validate():  # the page again, the typed text kept with its message
            return offer_vehicle.page_of(order, status=422, comment=form)
        order.comments = [*(order.comments or []), " ".join(form.comment.value.split())]
        state = order.state
    flash("Commentaire ajouté.", "success")
    target = "offers.show" if state == "offre" else "deliveries.order"
    return redirect(url_for(target, number=number) + "#comment-title")


@bp.post("/<int:number>/annuler")
def cancel(number: int):
    """Annuler l'offre (only an offer; a bon de commande is kept)."""
    with context.order_transaction(number) as (session, order):
        if order.state != "offre":
            flash("Seule une offre en cours peut être annulée.", "error")
            return redirect(url_for("deliveries.order", number=number))
        order.state = "annulee"
        offer_vehicle.release(session, order)
    flash(f"Offre n°{number} annulée.", "info")
    return redirect(url_for("offers.index"))
