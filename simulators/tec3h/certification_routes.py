"""Test-only route (TEST_ROUTES) for the certification driver, for the one step Tec3H's screens cannot
do with the plan's vehicles: a vehicle arriving in stock (vehicle creation only offers the versions of
its referential). The customer, the Commande and the warranty go through Tec3H's own screens
(``certification.drivers.tec3h``)."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify

from common.testing import guard_test_routes, stock_arrival_body
from common.web import csrf
from simulators.tec3h.data import writing
from simulators.tec3h.referential import ENERGIES
from common.counters import next_number
from simulators.tec3h.store import Counter, Vehicle

bp = Blueprint("tec3h_certification", __name__, url_prefix="/__test__/certification")
csrf.exempt(bp)
bp.before_request(guard_test_routes)  # open in demo mode, else the stack's test-routes key


def _energy(value: str) -> str:
    """Tec3H's label for a hand-off energy (ELECTRIQUE → Électrique)."""
    plain = {e.upper().replace("É", "E"): e for e in ENERGIES}
    return plain.get(value, "Essence")


@bp.post("/vehicles")
def stock_arrival():
    """Body: ``{"vehicle": {...hand-off v1...}, "price_ttc": "15000.00"}``. Answers the vehicle id."""
    v, price = stock_arrival_body()
    if v is None:
        return price  # the French refusal
    registered = dt.date.fromisoformat(v["first_registration"])
    with writing() as tx:
        number = next_number(tx, Counter, "vehicle", Vehicle.id, start=1)
        vehicle = Vehicle(reference=f"CERT{number:05d}", make=v["brand"], model=v["model"], version_id="",
                          version=v["version"], equivalence="", energy=_energy(v["energy"]), gearbox="Manuelle",
                          first_registration=registered, model_year=registered.year, plate=v["plate"], vin=v["vin"],
                          mileage_km=v["mileage_km"], din_power=v["din_power"], kw_power=v["kw_power"],
                          fiscal_power=v["fiscal_power"], ptac_kg=v.get("ptac_kg"),
                          price_ttc=price)
        tx.add(vehicle)
        tx.flush()
        vehicle_id = vehicle.id
    return jsonify({"vehicle_id": vehicle_id}), 201
