"""Test-only routes of Tec3H (``common.testing``): a stock vehicle sold to a customer by a Commande
(a dealer's earlier work), and the warranty record of a vehicle."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import current_app, jsonify
from sqlalchemy import select

from common.testing import body, found, test_blueprint
from simulators.tec3h import referential
from simulators.tec3h.orders import order_total
from simulators.tec3h.stock import new_vehicle
from common.counters import next_number
from simulators.tec3h.store import Counter, Customer, Order, Warranty

bp = test_blueprint("tec3h")


@bp.post("/sales")
def create_sale():
    """Body: plate, vin, reference, customer (a ``Factory.customer()``), optional version_id (referential
    id, J00017 Peugeot 308 SW by default), price_ttc, seller. Answers the vehicle id and order number."""
    data = body()
    person, today = data["customer"], dt.date.today()
    version = referential.version(data.get("version_id", "J00017"))
    with current_app.extensions["db"].transaction() as session:
        vehicle = new_vehicle(version, reference=data["reference"], plate=data["plate"], vin=data["vin"],
                              first_registration=dt.date(2019, 3, 12), model_year=2019, mileage_km=42000,
                              co2=110, color="Blanc", price_ttc=Decimal(str(data.get("price_ttc", 16900))))
        customer = Customer(kind="particulier", civility=person["civility"], birth_name=person["last_name"],
                            usage_name=person["last_name"], first_names=person["first_name"],
                            birth_date=dt.date.fromisoformat(person["birth_date"]),
                            birth_city=person["birth_place"], birth_country="France",
                            address=person["address"], postcode=person["postcode"], city=person["city"],
                            mobile=person["mobile"], email=person["email"])
        session.add_all([vehicle, customer])
        session.flush()
        # from the screens' counter: a number of its own (90000 + id met the counter's, once it caught up)
        number = next_number(session, Counter, "order", Order.number, start=90001)
        session.add(Order(number=number, vehicle_id=vehicle.id, customer_id=customer.id, status="Commande",
                          service="Aucun service", seller=data.get("seller", "Nicolas Pélissier"),
                          vehicle_price_ttc=vehicle.price_ttc, delivery_date=today, sale_date=today,
                          contact_origin="Inconnue", payment_mode="Virement",
                          total_ttc=order_total(vehicle.price_ttc)))
        answer = {"vehicle_id": vehicle.id, "number": str(number)}
    return jsonify(answer), 201


@bp.get("/vehicles/<int:vehicle_id>/warranty")
def warranty(vehicle_id: int):
    """The vehicle's Spoticar warranty request as stored (status, bdc_number, contract_number…)."""
    w = current_app.extensions["db"].session.scalar(
        select(Warranty).join(Order).where(Order.vehicle_id == vehicle_id))
    return found(w and {"status": w.status, "bdc_number": w.bdc_number, "contract_number": w.contract_number,
                        "garantisseur": w.garantisseur, "form": w.form, "last_error": w.last_error})
