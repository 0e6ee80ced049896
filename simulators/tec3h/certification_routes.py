"""Test-only routes (TEST_ROUTES) for the certification driver: a sale given in the hand-off v1 shape
entered as Tec3H's own records (stock vehicle, customer, Commande), ready for Garantie → Nouvelle
garantie Spoticar."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Blueprint, jsonify, request
from sqlalchemy import func, select

from common.web import csrf
from simulators.tec3h.data import writing
from simulators.tec3h.referential import ENERGIES
from simulators.tec3h.store import Customer, Order, Vehicle

bp = Blueprint("tec3h_certification", __name__, url_prefix="/__test__/certification")
csrf.exempt(bp)


def _energy(value: str) -> str:
    """Tec3H's label for a hand-off energy (ELECTRIQUE → Électrique)."""
    plain = {e.upper().replace("É", "E"): e for e in ENERGIES}
    return plain.get(value, "Essence")


@bp.post("/sales")
def enter_sale():
    """Body: a hand-off-shaped sale. Answers the vehicle id (its card holds the Garantie tab)."""
    sale = request.get_json(force=True)
    v, c = sale["vehicle"], sale["customer"]
    registered = dt.date.fromisoformat(v["first_registration"])
    day = dt.date.fromisoformat(sale["sale"]["delivery_date"])
    price = Decimal(sale["sale"]["price_ttc"])
    with writing() as tx:
        number = (tx.scalar(select(func.max(Order.number))) or 90000) + 1
        vehicle = Vehicle(reference=f"CERT{number}", make=v["brand"], model=v["model"], version_id="",
                          version=v["version"], equivalence="", energy=_energy(v["energy"]), gearbox="Manuelle",
                          first_registration=registered, model_year=registered.year, plate=v["plate"], vin=v["vin"],
                          mileage_km=v["mileage_km"], din_power=v["din_power"], kw_power=v["kw_power"],
                          fiscal_power=v["fiscal_power"], ptac_kg=v.get("ptac_kg"), price_ttc=price, state="Vendu")
        customer = Customer(kind="particulier", civility=c["civility"], birth_name=c["last_name"],
                            usage_name=c["last_name"], first_names=c.get("first_name"),
                            birth_date=dt.date.fromisoformat(c["birth_date"]) if c.get("birth_date") else None,
                            birth_city=c.get("birth_place"), birth_country=c.get("birth_country"),
                            address=c.get("address"), postcode=c.get("postcode"), city=c.get("city"),
                            phone=c.get("phone"), mobile=c.get("mobile"), email=c.get("email"))
        tx.add_all([vehicle, customer])
        tx.flush()
        tx.add(Order(number=number, vehicle_id=vehicle.id, customer_id=customer.id, status="Commande",
                     seller=sale["seller"], vehicle_price_ttc=price, delivery_date=day,
                     sale_date=dt.date.fromisoformat(sale["sale"]["sale_date"]), payment_mode="Comptant",
                     total_ttc=price))
        vehicle_id = vehicle.id
    return jsonify({"vehicle_id": vehicle_id}), 201
