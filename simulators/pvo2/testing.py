"""Test-only routes of PVO2 (``common.testing``): a vehicle for sale in the stock; a stock vehicle (Spoticar
label) with a customer and a bon de commande delivered today; an order as stored."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import current_app

from common.testing import as_record, body, stored, test_blueprint
from common.web import error_response
from fixtures import reference
from fixtures.factories import Factory
from simulators.pvo2.context import next_order_number
from simulators.pvo2.store import Customer, Order, Vehicle

bp = test_blueprint("pvo2")

ORDER_FIELDS = ("number", "seller", "state", "created_on", "bdc_on", "delivery_date", "garantisseur",
                "bdc_number", "declaration_status", "contract_number", "policy_number")
VEHICLE_FIELDS = ("id", "stock_number", "plate", "vin", "brand", "model", "label", "warranty_level", "provenance",
                  "price_ttc")


def _record(order: Order) -> dict:
    return {**as_record(order, ORDER_FIELDS), "vehicle": as_record(order.vehicle, VEHICLE_FIELDS),
            "customer": as_record(order.customer, ("last_name", "first_name", "email"))}


def _stock_vehicle(factory: Factory, data: dict, today: dt.date) -> Vehicle:
    """A stock vehicle from ``factory`` (a Peugeot by default), what ``data`` names overriding it."""
    v = factory.vehicle(brand=data.get("brand", "PEUGEOT"))
    energies = {code: label for label, code in reference.load("pvo2_demo")["energies"].items()}
    return Vehicle(stock_number=data.get("stock_number", v["vin"]), plate=v["plate"], vin=v["vin"],
                   brand=v["brand"], model=v["model"], version=v["version"],
                   energy=energies.get(v["energy"], "Essence"),
                   gearbox="Manuelle", first_registration=dt.date.fromisoformat(v["first_registration"]),
                   mileage_km=v["mileage_km"], fiscal_power=v["fiscal_power"], din_power=v["din_power"],
                   ptac_kg=v["ptac_kg"], price_ttc=Decimal(str(data.get("price_ttc", 15000))), entry_date=today,
                   provenance=data.get("provenance", "Particulier"), label=data.get("label", "SPOTICAR"),
                   warranty_level=data.get("warranty_level", "Spoticar-Premium 12 Mois"))


@bp.post("/vehicles")
def create_vehicle():
    """Body: seed (Faker), optional brand, label, warranty_level, provenance, price_ttc. A vehicle for
    sale in the stock, of the test's own (a vehicle is sold once: a test that sells one makes it)."""
    data = body()
    with current_app.extensions["db"].transaction() as session:
        vehicle = _stock_vehicle(Factory(int(data.get("seed", 0))), data, dt.date.today())
        session.add(vehicle)
        session.flush()  # its id makes the stock number unique, whoever else creates one meanwhile
        vehicle.stock_number = f"ST9{vehicle.id:07d}"
        vehicle_id = vehicle.id
    return stored(Vehicle, lambda row: as_record(row, VEHICLE_FIELDS), status=201, id=vehicle_id)


def _seed_vehicle(stock_number: str, number: int, today: dt.date, factory: Factory) -> Vehicle | None:
    """A copy of the seed's stock vehicle ``stock_number`` (plate, model, label… as the training documents
    show it) under a stock number and a VIN of its own (Icare warrants a VIN once a period: the copy
    sold by an earlier run would refuse the next); None when the seed has none by that number."""
    v = next((v for v in reference.load("pvo2_demo")["vehicles"] if v["stock_number"] == stock_number), None)
    if v is None:
        return None
    return Vehicle(**{**v, "stock_number": f"ST{number}", "entry_date": today, "price_ttc": Decimal(v["price_ttc"]),
                      "vin": factory.vehicle(brand=v["brand"])["vin"],
                      "first_registration": dt.date.fromisoformat(v["first_registration"]),
                      "last_ct": dt.date.fromisoformat(v["last_ct"]) if v["last_ct"] else None})


@bp.post("/orders")
def create_order():
    """Body: seed (Faker); ``like``: the stock number of a seed vehicle to sell a copy of (the seed's
    DS 9 with its garage plate, say), else a Spoticar-labelled Peugeot; ``closed``: the order delivered
    and closed (« Clôturé », ready to declare). A customer and its bon de commande: a test selling the
    seed's vehicle leaves the seed's own order as ``up`` made it."""
    data, today = body(), dt.date.today()
    factory = Factory(int(data.get("seed", 0)))
    if data.get("like") and _seed_vehicle(str(data["like"]), 0, today, factory) is None:
        return error_response(422, f"Aucun véhicule de la démo n'a le numéro de stock {data['like']}.", "like")
    with current_app.extensions["db"].transaction() as session:
        number = next_order_number(session, start=7_000_001)
        vehicle = (_seed_vehicle(str(data["like"]), number, today, factory) if data.get("like") else None) \
            or _stock_vehicle(factory, {"stock_number": f"ST{number}"}, today)
        c = factory.customer()
        customer = Customer(civility=c["civility"], last_name=c["last_name"], first_name=c["first_name"],
                            address=c["address"], postcode=c["postcode"], city=c["city"],
                            phone=c["mobile"], email=c["email"])
        session.add_all([vehicle, customer])
        session.flush()
        closed = bool(data.get("closed"))  # delivered and closed, as the seed's orders to declare are
        session.add(Order(number=number, customer_id=customer.id, vehicle_id=vehicle.id, seller="Hakim AB",
                          created_on=today, expires_on=today + dt.timedelta(days=7),
                          state="cloture" if closed else "bdc", bdc_on=today, delivery_date=today,
                          closed_on=today if closed else None))
    return stored(Order, _record, status=201, number=number)


@bp.get("/orders/<int:number>")
def order(number: int):
    """The order ``number`` as stored, with its vehicle and customer."""
    return stored(Order, _record, number=number)
