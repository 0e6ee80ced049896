"""Deterministic demo data for AXILOG DEMO: the seed's vehicles, generated stock, customers, one order."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from flask import Flask
from sqlalchemy import select

from fixtures import reference
from fixtures.factories import Factory
from simulators.tec3h import referential
from simulators.tec3h.orders import order_total
from simulators.tec3h.stock import new_vehicle
from simulators.tec3h.store import Customer, Order, Vehicle


def _customer_from(data: dict, number: int, pro: bool) -> Customer:
    return Customer(
        id=number, kind="pro" if pro else "particulier", category="Client", contact_origin="Inconnue",
        civility=data["civility"], birth_name=None if pro else data["last_name"],
        usage_name=data["last_name"], first_names=data["first_name"],
        birth_date=None if pro else dt.date.fromisoformat(data["birth_date"]),
        birth_city=None if pro else data["birth_place"], birth_country="France",
        company_name=data["company_name"], siret=data["siret"], address=data["address"],
        postcode=data["postcode"], city=data["city"], phone=data["phone"], mobile=data["mobile"],
        email=data["email"])


def seed_demo(app: Flask, seed: int = 0) -> None:
    stock = reference.load("tec3h_stock")
    factory = Factory(seed)
    rng = random.Random(seed)
    db = app.extensions["db"]
    with db.transaction() as session:
        if session.scalar(select(Vehicle).limit(1)) is not None:
            return
        for row in stock["vehicles"]:
            version = referential.version(row["version_id"])
            session.add(new_vehicle(
                version, reference=row["reference"], plate=row["plate"], vin=row["vin"],
                first_registration=dt.date.fromisoformat(row["first_registration"]),
                model_year=row["model_year"], mileage_km=row["mileage_km"], co2=row["co2"],
                color=row["color"], interior_color=row.get("interior_color"),
                commercial_color=row.get("commercial_color"), key_count=row.get("key_count"),
                first_hand=row.get("first_hand", False), price_ttc=Decimal(row["price_ttc"]), state=row["state"]))
        versions = referential.all_versions()
        for n in range(stock["generated_vehicles"]):
            version = rng.choice(versions)
            start = dt.date.fromisoformat(version.valid_from + "-01")
            end = dt.date.fromisoformat((version.valid_to or "2024-06") + "-28")
            mec = start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))
            session.add(new_vehicle(
                version, reference=str(553531 + n), plate=factory.plate(),
                vin=factory.vin(referential.fold(version.make).upper()),
                first_registration=mec, model_year=mec.year,
                # mileage matches age: 8 000 to 20 000 km a year
                mileage_km=max(1, (dt.date.today() - mec).days * rng.randint(8, 20) // 365) * 1000,
                co2=rng.randint(90, 160) if version.energy
                != "Électrique" else 0, color=rng.choice(stock["colors"]),
                price_ttc=Decimal(rng.randint(60, 450) * 100), state=rng.choice(stock["states"][:2])))
        first = stock["first_customer_number"]
        for n in range(stock["demo_customers"]):
            pro = n == stock["demo_customers"] - 1
            session.add(_customer_from(factory.customer(pro=pro), first + n, pro))
        session.flush()
        vehicle = session.scalar(select(Vehicle).where(Vehicle.plate == "DL-342-MP"))
        customer = session.get(Customer, first)
        today = dt.date.today()
        order = Order(number=stock["first_order_number"], vehicle=vehicle, customer=customer,
                      status="Commande", service="Aucun service", seller=stock["sellers"][0],
                      deliverer=stock["sellers"][1],
                      vehicle_price_ttc=vehicle.price_ttc, delivery_date=today, sale_date=today,
                      contact_origin="Inconnue", payment_mode="Virement",
                      total_ttc=order_total(vehicle.price_ttc))
        session.add(order)
