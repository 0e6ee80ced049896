"""Small shared helpers of the PVO2 screens: the current site and seller, lookups that 404."""
from __future__ import annotations

import contextlib

from flask import abort, current_app, flash, make_response, redirect, url_for
from sqlalchemy import exists, select

from fixtures import reference
from common.counters import next_number
from simulators.pvo2.store import Counter, Order, Site, Vehicle


def db():
    return current_app.extensions["db"]


def site(session) -> Site:
    """The one site of this PVO2 instance (DEMO CDDS SPOTICAR in demo mode)."""
    found = session.scalar(select(Site).order_by(Site.id))
    if found is None:
        abort(503)
    return found


def seller() -> dict:
    """The connected seller (the demo has one: Hakim AB)."""
    return reference.load("pvo2_demo")["seller"]


NO_VEHICLE = "Ajoutez d'abord un véhicule à vendre sur cette offre."


def order_or_404(session, number: int, with_vehicle: bool = False) -> Order:
    """The order ``number``; ``with_vehicle``: an offer whose vehicle was removed sends the user back
    to it, saying what to do first."""
    order = session.scalar(select(Order).where(Order.number == number))
    if order is None:
        abort(404)
    if with_vehicle and order.vehicle is None:
        flash(NO_VEHICLE, "error")
        abort(redirect(url_for("offers.show", number=number)))
    return order


@contextlib.contextmanager
def order_transaction(number: int, refusal=None, with_vehicle: bool = False):
    """A write transaction on the order ``number`` (404 when unknown, see ``order_or_404``), yielding
    (session, order). When ``refusal(order)`` answers (the page with the reason, or the page the order
    belongs on), that answer is sent instead and nothing is written."""
    with db().transaction() as session:
        order = order_or_404(session, number, with_vehicle)
        answer = refusal(order) if refusal else None
        if answer is not None:
            abort(make_response(answer))
        yield session, order


def vehicle_or_404(session, vehicle_id: int) -> Vehicle:
    vehicle = session.get(Vehicle, vehicle_id)
    if vehicle is None:
        abort(404)
    return vehicle


def next_order_number(session, start: int = 7_400_001) -> int:
    """The number of a new offre (and of its bon de commande), unique without the app's write lock."""
    return next_number(session, Counter, "order", Order.number, start=start)


LABELS = ("SPOTICAR", "DS CERTIFIED", "ALFA ROMEO CERTIFIED")  # Label constructeur of the vehicle card


def warranty_levels() -> dict[str, list[str]]:
    """Garantie levels offered on the vehicle card, by label (from the warranty catalogue)."""
    levels: dict[str, list[str]] = {}
    for product in reference.warranty_products():
        if product["label"] in LABELS:
            levels.setdefault(product["label"], []).extend(product["dms_levels"])
    return levels


ATTENTION_LABEL = ("Attention : Il est indispensable de sélectionner sur la fiche du véhicule le Label "
                   "Spoticar ou DS Certified et le niveau de garantie souhaitée.")


SOLD_STATES = ("bdc", "cloture")  # a bon de commande is a sale: the vehicle is no longer for sale


def for_sale():
    """SQL condition: the vehicle has no bon de commande (generated or closed)."""
    return ~exists().where(Order.vehicle_id == Vehicle.id, Order.state.in_(SOLD_STATES))


def sale_of(session, vehicle_id: int, other_than: int | None = None) -> Order | None:
    """The bon de commande that sold this vehicle, if any (``other_than``: an order number to ignore)."""
    stmt = select(Order).where(Order.vehicle_id == vehicle_id, Order.state.in_(SOLD_STATES))
    if other_than is not None:
        stmt = stmt.where(Order.number != other_than)
    return session.scalar(stmt.order_by(Order.id).limit(1))


def sold_message(order: Order) -> str:
    return (f"Ce véhicule est déjà vendu (bon de commande n°{order.number}) : il ne fait plus partie "
            "des véhicules à vendre.")
