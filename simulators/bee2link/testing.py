"""Test-only routes of Bee2link (``common.testing``): a fresh vehicle at the Livraison stage with its
order, and an order as stored (with its vehicle)."""
from __future__ import annotations

import datetime as dt

from flask import current_app, jsonify, request
from sqlalchemy import select

from common.testing import as_record, body, column_names, stored, test_blueprint
from common.web import error_response
from fixtures.factories import Factory
from simulators.dms.store import DeclarationColumns, VehicleColumns
from simulators.bee2link.demo import add_delivery, add_vehicle
from simulators.bee2link.pipeline import STAGE_LABELS
from common.counters import next_number
from simulators.bee2link.store import Counter, Order, Vehicle

bp = test_blueprint("bee2link")

ORDER_FIELDS = ("number", "seller", "sale_date", "delivery_date", "price_ttc", "customer", "warranty_level",
                *column_names(DeclarationColumns))
VEHICLE_FIELDS = ("id", "rrdi", "stage", *column_names(VehicleColumns))


def _order_record(order: Order) -> dict:
    return {**as_record(order, ORDER_FIELDS), "vehicle": as_record(order.vehicle, VEHICLE_FIELDS)}


@bp.post("/orders")
def create_order():
    """Body: rrdi (a Bee2link demo site), seed (Faker). A vehicle at Livraison with a new order."""
    data, today = body(), dt.date.today()
    factory = Factory(int(data.get("seed", 0)))
    with current_app.extensions["db"].transaction() as session:
        number = next_number(session, Counter, "order", Order.number, start=1)
        add_delivery(session, factory, data["rrdi"], number, today)
    return stored(Order, _order_record, status=201, number=number)


@bp.post("/vehicles")
def create_vehicle():
    """Body: rrdi (a Bee2link demo site), stage (``preparation``…), seed (Faker). A vehicle without
    order at that stage, for a test that moves one along the pipeline (the seeded ones stay put)."""
    data = body()
    if data["stage"] not in STAGE_LABELS:
        return error_response(400, f"Étape inconnue : {data['stage']}.", "stage")
    with current_app.extensions["db"].transaction() as session:
        vehicle_id = add_vehicle(session, Factory(int(data.get("seed", 0))), data["rrdi"], data["stage"],
                                 dt.date.today())
    return stored(Vehicle, lambda row: as_record(row, VEHICLE_FIELDS), status=201, id=vehicle_id)


@bp.get("/orders")
def orders():
    """The orders of site ``?rrdi=``, newest vehicle first, with their vehicles."""
    rows = current_app.extensions["db"].session.scalars(
        select(Order).join(Order.vehicle).where(Vehicle.rrdi == request.args.get("rrdi", ""))
        .order_by(Vehicle.id.desc()))
    return jsonify({"orders": [_order_record(row) for row in rows]})


@bp.get("/orders/<int:number>")
def order(number: int):
    """The order ``number`` as stored, with its vehicle (id, plate, VIN…)."""
    return stored(Order, _order_record, number=number)
