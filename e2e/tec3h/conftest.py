"""Helpers of the Tec3H browser suite: a stock vehicle with its Commande made from factories (in the
Tec3H app's own database, as a dealer's earlier work), the centralisateur made unreachable, Icare
look-ups over HTTP."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
import pytest

from simulators.tec3h import referential
from simulators.tec3h.orders import order_total
from simulators.tec3h.stock import new_vehicle
from simulators.tec3h.store import Customer, Order


@pytest.fixture
def tec3h_url(stack) -> str:
    return stack.url("tec3h")


@pytest.fixture
def sold_vehicle(stack, factory) -> dict:
    """A new stock vehicle (Peugeot 308 SW) with a customer and a Commande; its plate and ids."""
    app = stack.app("tec3h")
    person = factory.customer()
    plate, vin = factory.plate(), factory.vin("PEUGEOT")
    version = referential.version("J00017")
    today = dt.date.today()
    with app.extensions["db"].transaction() as session:
        vehicle = new_vehicle(version, reference=f"E{factory.rng.randint(10**6, 10**7 - 1)}", plate=plate,
                              vin=vin, first_registration=dt.date(2019, 3, 12), model_year=2019,
                              mileage_km=42000, co2=110, color="Blanc", price_ttc=Decimal("16900"))
        customer = Customer(kind="particulier", civility=person["civility"], birth_name=person["last_name"],
                            usage_name=person["last_name"], first_names=person["first_name"],
                            birth_date=dt.date.fromisoformat(person["birth_date"]),
                            birth_city=person["birth_place"], birth_country="France",
                            address=person["address"], postcode=person["postcode"], city=person["city"],
                            mobile=person["mobile"], email=person["email"])
        session.add_all([vehicle, customer])
        session.flush()
        number = 90000 + vehicle.id
        session.add(Order(number=number, vehicle_id=vehicle.id, customer_id=customer.id, status="Commande",
                          service="Aucun service", seller="Nicolas Pélissier",
                          vehicle_price_ttc=vehicle.price_ttc, delivery_date=today, sale_date=today,
                          contact_origin="Inconnue", payment_mode="Virement",
                          total_ttc=order_total(vehicle.price_ttc)))
        vehicle_id = vehicle.id
    return {"vehicle_id": vehicle_id, "plate": plate, "vin": vin, "customer": person, "number": str(number)}


class Outage:
    """Tec3H points at a port where nothing answers until ``end()`` (or the test's end)."""

    def __init__(self, app):
        self.app, self.urls = app, app.config["URLS"]
        app.config["URLS"] = {**self.urls, "centralisateur": "http://127.0.0.1:9"}

    def end(self) -> None:
        self.app.config["URLS"] = self.urls


@pytest.fixture
def centralisateur_down(stack):
    outage = Outage(stack.app("tec3h"))
    yield outage
    outage.end()


def icare_contracts(stack, **query) -> list[dict]:
    """Contracts Icare holds (its contract API), e.g. ``icare_contracts(stack, plate="AA-123-AA")``."""
    return httpx.get(stack.url("icare") + "/api/v1/contracts", params=query, timeout=20,
                     headers={"Authorization": "Bearer demo-icare-service"}).json()["contracts"]
