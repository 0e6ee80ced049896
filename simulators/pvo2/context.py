"""Small shared helpers of the PVO2 screens: the current site and seller, lookups that 404."""
from __future__ import annotations

from flask import abort, current_app
from sqlalchemy import func, select

from fixtures import reference
from simulators.pvo2.store import Order, Site, Vehicle


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


def order_or_404(session, number: int) -> Order:
    order = session.scalar(select(Order).where(Order.number == number))
    if order is None:
        abort(404)
    return order


def vehicle_or_404(session, vehicle_id: int) -> Vehicle:
    vehicle = session.get(Vehicle, vehicle_id)
    if vehicle is None:
        abort(404)
    return vehicle


def next_order_number(session) -> int:
    return (session.scalar(select(func.max(Order.number))) or 7_400_000) + 1


def warranty_levels() -> dict[str, list[str]]:
    """Garantie levels offered on the vehicle card, by label (from the warranty catalogue)."""
    levels: dict[str, list[str]] = {}
    for product in reference.warranty_products():
        if product["label"] in ("SPOTICAR", "DS CERTIFIED"):
            levels.setdefault(product["label"], []).extend(product["dms_levels"])
    return levels


ATTENTION_LABEL = ("Attention : Il est indispensable de sélectionner sur la fiche du véhicule le Label "
                   "Spoticar ou DS Certified et le niveau de garantie souhaitée.")
