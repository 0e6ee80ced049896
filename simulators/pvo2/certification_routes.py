"""Test-only route (TEST_ROUTES) for the certification driver, for the one step PVO2 has no screen for:
a vehicle arriving in stock (the hand-off v1 ``vehicle`` entered as a stock record, with no label nor
warranty level — the driver sets those on the vehicle card). Everything else of a sale goes through
PVO2's own screens (``certification.drivers.pvo2``)."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, jsonify

from common.testing import guard_test_routes, stock_arrival_body
from common.web import csrf
from fixtures import reference
from common.counters import next_number
from simulators.pvo2.store import Counter, Vehicle

bp = Blueprint("pvo2_certification", __name__, url_prefix="/__test__/certification")
csrf.exempt(bp)
bp.before_request(guard_test_routes)  # open in demo mode, else the stack's test-routes key


@bp.post("/vehicles")
def stock_arrival():
    """Body: ``{"vehicle": {...hand-off v1...}, "price_ttc": "15000.00"}``. Answers the vehicle id."""
    v, price = stock_arrival_body()
    if v is None:
        return price  # the French refusal
    energies = reference.load("pvo2_demo")["energies"]
    with current_app.extensions["db"].transaction() as s:
        number = next_number(s, Counter, "vehicle", Vehicle.id, start=1)
        vehicle = Vehicle(stock_number=f"CERT{number:05d}{v['vin'][-5:]}", plate=v["plate"], vin=v["vin"],
                          brand=v["brand"], model=v["model"], version=v["version"], kind=v.get("kind") or "VP",
                          energy=next((label for label, wire in energies.items() if wire == v["energy"]), "Essence"),
                          gearbox="Manuelle", first_registration=dt.date.fromisoformat(v["first_registration"]),
                          mileage_km=v["mileage_km"], fiscal_power=v["fiscal_power"], din_power=v["din_power"],
                          ptac_kg=v.get("ptac_kg"), price_ttc=price, entry_date=dt.date.today())
        s.add(vehicle)
        s.flush()
        vehicle_id = vehicle.id
    return jsonify({"vehicle_id": vehicle_id}), 201
