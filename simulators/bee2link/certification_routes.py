"""Test-only routes (TEST_ROUTES) for the certification driver: enter a sale given in the hand-off v1
shape as Bee2link's own records (a vehicle at Livraison and its order), correct it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy import func, select

from common.web import csrf
from fixtures import reference
from simulators.bee2link.store import Order, Vehicle
from simulators.dms.certification import VEHICLE_FIELDS, correct

bp = Blueprint("bee2link_certification", __name__, url_prefix="/__test__/certification")
csrf.exempt(bp)


@bp.post("/sales")
def enter_sale():
    """Body: a hand-off-shaped sale. Answers the vehicle id and the order number."""
    sale = request.get_json(force=True)
    v, w = sale["vehicle"], sale["warranty"]
    with current_app.extensions["db"].transaction() as s:
        number = (s.scalar(select(func.max(Order.number))) or 9000) + 1
        vehicle = Vehicle(rrdi=sale["dealer"]["rrdi"], stage="livraison", origin="particulier",
                          stage_since=dt.date.today(), price_ttc=Decimal(sale["sale"]["price_ttc"]),
                          first_registration=dt.date.fromisoformat(v["first_registration"]),
                          documents=[], **{k: v.get(k) for k in VEHICLE_FIELDS})
        s.add(vehicle)
        s.flush()
        s.add(Order(number=number, vehicle_id=vehicle.id, seller=sale["seller"],
                    sale_date=dt.date.fromisoformat(sale["sale"]["sale_date"]),
                    delivery_date=dt.date.fromisoformat(sale["sale"]["delivery_date"]),
                    price_ttc=Decimal(sale["sale"]["price_ttc"]), trade_in_value=None,
                    customer=dict(sale["customer"]),
                    warranty_level=reference.dms_level(w["product"], w["duration_months"]) or ""))
        vehicle_id = vehicle.id
    return jsonify({"vehicle_id": vehicle_id, "order_number": number}), 201


@bp.post("/sales/<int:vehicle_id>")
def correct_sale(vehicle_id: int):
    """Body: ``{"vehicle.mileage_km": 12322}`` — the vehicle's values the tester corrects."""
    with current_app.extensions["db"].transaction() as s:
        if not correct(s.get(Vehicle, vehicle_id) or abort(404), request.get_json(force=True)):
            abort(422)
    return jsonify({"vehicle_id": vehicle_id})
