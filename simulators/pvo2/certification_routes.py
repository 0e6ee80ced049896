"""Test-only routes (TEST_ROUTES) for the certification driver: the site's RRDI, a sale given in the
hand-off v1 shape entered as PVO2's own records (vehicle card, customer, bon de commande), a correction."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy import func, select

from common.web import csrf
from fixtures import reference
from simulators.dms.certification import correct
from simulators.pvo2 import context
from simulators.pvo2.store import Customer, Order, Vehicle

bp = Blueprint("pvo2_certification", __name__, url_prefix="/__test__/certification")
csrf.exempt(bp)
EDITABLE = ("mileage_km", "plate", "din_power", "ptac_kg")


def _pvo2_value(mapping: dict, value: str, default: str) -> str:
    """PVO2's own label for a hand-off value (its energies, its provenances)."""
    return next((label for label, wire in mapping.items() if wire == value), default)


@bp.post("/site")
def site_rrdi():
    """Body: ``{"rrdi"}`` — Paramètres → Fiche d'identité du site, Code RRDI."""
    with context.db().transaction() as s:
        context.site(s).rrdi = request.get_json(force=True)["rrdi"]
    return jsonify({"ok": True})


@bp.post("/sales")
def enter_sale():
    """Body: a hand-off-shaped sale. Answers the bon de commande number."""
    sale = request.get_json(force=True)
    v, c, w = sale["vehicle"], sale["customer"], sale["warranty"]
    demo = reference.load("pvo2_demo")
    day = dt.date.fromisoformat(sale["sale"]["delivery_date"])
    with current_app.extensions["db"].transaction() as s:
        number = (s.scalar(select(func.max(Order.number))) or 90000) + 1
        vehicle = Vehicle(stock_number=f"CERT{number}", plate=v["plate"], vin=v["vin"], brand=v["brand"],
                          model=v["model"], version=v["version"], kind=v.get("kind") or "VP",
                          energy=_pvo2_value(demo["energies"], v["energy"], "Essence"), gearbox="Manuelle",
                          first_registration=dt.date.fromisoformat(v["first_registration"]),
                          mileage_km=v["mileage_km"], fiscal_power=v["fiscal_power"], din_power=v["din_power"],
                          provenance=_pvo2_value(demo["provenances"], v.get("usage", "particulier"), "Particulier"),
                          ptac_kg=v.get("ptac_kg"), price_ttc=Decimal(sale["sale"]["price_ttc"]), entry_date=day,
                          label=w["label"], warranty_level=reference.dms_level(w["product"], w["duration_months"]) or "")
        customer = Customer(civility=c["civility"], last_name=c["last_name"], first_name=c.get("first_name") or "",
                            address=c.get("address") or "", postcode=c.get("postcode") or "",
                            city=c.get("city") or "", phone=c.get("mobile") or c.get("phone") or "",
                            email=c.get("email") or "")
        s.add_all([vehicle, customer])
        s.flush()
        s.add(Order(number=number, customer_id=customer.id, vehicle_id=vehicle.id, seller=sale["seller"],
                    created_on=day, expires_on=day + dt.timedelta(days=15), state="cloture", bdc_on=day,
                    closed_on=day, delivery_date=day))
    return jsonify({"number": number}), 201


@bp.post("/sales/<int:number>")
def correct_sale(number: int):
    """Body: ``{"vehicle.mileage_km": 12322}`` — the vehicle card's values the tester corrects."""
    with current_app.extensions["db"].transaction() as s:
        order = s.scalar(select(Order).where(Order.number == number)) or abort(404)
        if not correct(order.vehicle, request.get_json(force=True), EDITABLE):
            abort(422)
    return jsonify({"number": number})
