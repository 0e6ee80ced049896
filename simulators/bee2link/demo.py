"""Deterministic Bee2link demo stock: the seed's DS4 order n°4586, then Faker vehicles per stage."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from fixtures import reference
from fixtures.factories import Factory
from simulators.bee2link.pipeline import stage_label
from simulators.bee2link.store import Event, Order, Vehicle
from simulators.dms.demo import generated_vehicle, vehicle_values, warranty_level

def stock_data() -> dict:
    """``fixtures/data/bee2link_stock.json``: demo sites, the seed's vehicles, counts per stage."""
    return reference.load("bee2link_stock")


def seed_stock(session: Session, seed: int, today: dt.date) -> None:
    """Fill an empty store; same ``seed`` and ``today`` → same stock."""
    data = stock_data()
    factory = Factory(seed)
    for item in data["seed_vehicles"]:  # the seed's dates moved next to today
        day = lambda iso: reference.demo_day(iso, data["anchor"], today)  # noqa: E731
        updated = dt.datetime.fromisoformat(item["financing_updated"])
        order = item.get("order") and {**item["order"], "sale_date": day(item["order"]["sale_date"]).isoformat(),
                                        "delivery_date": day(item["order"]["delivery_date"]).isoformat()}
        _add(session, factory, {**item, "stage_since": day(item["stage_since"]), "order": order,
                                "first_registration": dt.date.fromisoformat(item["first_registration"]),
                                "financing_updated": dt.datetime.combine(day(item["financing_updated"]),
                                                                         updated.time())})
    number = data["first_generated_order"]
    for rrdi, stages in data["generated"].items():
        for stage, how_many in stages.items():
            per_origin = how_many if isinstance(how_many, dict) else {"particulier": how_many}
            for origin, count in per_origin.items():
                for i in range(count):
                    item = _generated(factory, data, rrdi, stage, origin, today, i)
                    if stage in ("livraison", "sortie"):
                        item["order"] = _generated_order(factory, data, number, item, today)
                        item["documents"] = [d.format(number=number) for d in data["documents"]]
                        number += 1
                    _add(session, factory, item)


def add_delivery(session: Session, factory: Factory, rrdi: str, number: int, today: dt.date) -> None:
    """One more Faker vehicle at the Livraison stage of site ``rrdi``, with its order ``number``."""
    data = stock_data()
    item = _generated(factory, data, rrdi, "livraison", "particulier", today, 0)
    item["order"] = _generated_order(factory, data, number, item, today)
    _add(session, factory, item)


def add_vehicle(session: Session, factory: Factory, rrdi: str, stage: str, today: dt.date) -> int:
    """One more Faker vehicle (no order) at ``stage`` of site ``rrdi``; its id."""
    return _add(session, factory, _generated(factory, stock_data(), rrdi, stage, "particulier", today, 0))


def _generated(factory: Factory, data: dict, rrdi: str, stage: str, origin: str, today: dt.date,
               index: int) -> dict:
    vehicle = generated_vehicle(factory)
    price = Decimal(factory.price_of(vehicle))  # matches model, age and mileage
    return {**vehicle_values(factory, vehicle), "rrdi": rrdi, "stage": stage, "origin": origin,
            "stage_since": today - dt.timedelta(days=index + 1), "price_ttc": str(price), "financing": "PSA Finance",
            "financing_updated": dt.datetime.combine(today - dt.timedelta(days=index + 2), dt.time(10, 30)),
            "media_count": factory.rng.randint(4, 20), "documents": []}


def _generated_order(factory: Factory, data: dict, number: int, item: dict, today: dt.date) -> dict:
    level = warranty_level(item["brand"], data["warranty_levels"], number)
    sale = today - dt.timedelta(days=factory.rng.randint(2, 10))
    return {"number": number, "sale_date": sale.isoformat(), "delivery_date": today.isoformat(),
            "price_ttc": item["price_ttc"], "warranty_level": level}


def _add(session: Session, factory: Factory, item: dict) -> int:
    order = item.get("order")
    vehicle = Vehicle(
        rrdi=item["rrdi"], stage=item["stage"], origin=item["origin"], stage_since=item["stage_since"],
        **vehicle_values(factory, item), price_ttc=Decimal(item["price_ttc"]), financing=item["financing"],
        financing_updated=item["financing_updated"], media_count=item["media_count"],
        documents=list(item["documents"]))
    session.add(vehicle)
    session.flush()
    session.add(Event(vehicle_id=vehicle.id, kind="history",
                      at=dt.datetime.combine(item["stage_since"], dt.time(9, 0)),
                      text=f"Entrée dans l'étape {stage_label(item['stage'])}"))
    if order:
        session.add(Order(
            number=order["number"], vehicle_id=vehicle.id, seller=factory.seller(),
            sale_date=dt.date.fromisoformat(order["sale_date"]),
            delivery_date=dt.date.fromisoformat(order["delivery_date"]),
            price_ttc=Decimal(order["price_ttc"]), trade_in_value=None,
            customer=factory.customer(), warranty_level=order["warranty_level"]))
    return vehicle.id
