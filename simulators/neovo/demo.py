"""Deterministic NeoVO demo dossiers: V0000004 exactly as seed 000 shows it, then Faker dossiers."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from fixtures import reference
from fixtures.factories import Factory
from simulators.dms.demo import generated_vehicle, vehicle_values, warranty_level
from simulators.neovo.store import Dossier, Piece

DOSSIERS = "neovo_dossiers"  # fixtures/data/neovo_dossiers.json: demo sites, the seed's dossier, generated counts


def seed_dossiers(session: Session, seed: int, today: dt.date) -> None:
    """Fill an empty store; same ``seed`` and ``today`` → same dossiers."""
    data = reference.load(DOSSIERS)
    factory = Factory(seed)
    used = set()
    for item in data["seed_dossiers"]:  # the seed's dates moved next to today, its numbers kept
        customer = factory.customer(**item["customer"])
        day = lambda iso: reference.demo_day(iso, data["anchor"], today).isoformat()  # noqa: E731
        item = {**item, "sale_date": day(item["sale_date"]), "delivery_date": day(item["delivery_date"])}
        invoice = {**item["invoice"], "date": day(item["invoice"]["date"])}
        _add(session, factory, {**item, "customer": customer}, invoice)
        used.add(item["number"])
    piece_number = data["first_piece_number"]
    sequence = 1
    for rrdi, count in data["generated"].items():
        for i in range(count):
            while f"V{sequence:07d}" in used:
                sequence += 1
            number = f"V{sequence:07d}"
            used.add(number)
            item = _generated(factory, data, rrdi, number, today, i)
            ttc = Decimal(factory.rng.randint(80, 400) * 100) + Decimal("0.50")
            invoice = {"number": str(piece_number), "date": item["sale_date"], "ht": str(ttc),
                       "tva": "0.00", "ttc": str(ttc)}
            piece_number += 1
            _add(session, factory, item, invoice)


def add_dossier(session: Session, factory: Factory, rrdi: str, number: str, piece_number: str,
                today: dt.date, brand: str | None = None) -> None:
    """One more Faker dossier ``number`` of site ``rrdi`` (a ``brand`` vehicle when given), sold and
    invoiced (piece ``piece_number``)."""
    item = _generated(factory, reference.load(DOSSIERS), rrdi, number, today, 0, brand)
    ttc = Decimal(factory.rng.randint(80, 400) * 100) + Decimal("0.50")
    _add(session, factory, item, {"number": piece_number, "date": item["sale_date"], "ht": str(ttc),
                                  "tva": "0.00", "ttc": str(ttc)})


def _generated(factory: Factory, data: dict, rrdi: str, number: str, today: dt.date, index: int,
               brand: str | None = None) -> dict:
    vehicle = generated_vehicle(factory, brand)
    sale = today - dt.timedelta(days=index % 5 + 1)
    return {"number": number, "rrdi": rrdi, **vehicle_values(factory, vehicle),
            "client_code": str(factory.rng.randint(600000, 699999)), "customer": factory.customer(),
            "sale_date": sale.isoformat(), "delivery_date": sale.isoformat(),
            "warranty_level": warranty_level(vehicle["brand"], data["warranty_levels"], index)}


def _add(session: Session, factory: Factory, item: dict, invoice: dict) -> None:
    dossier = Dossier(
        number=item["number"], rrdi=item["rrdi"], **vehicle_values(factory, item), client_code=item["client_code"],
        customer=item["customer"], seller=factory.seller(),
        sale_date=dt.date.fromisoformat(item["sale_date"]),
        delivery_date=dt.date.fromisoformat(item["delivery_date"]), warranty_level=item["warranty_level"])
    session.add(dossier)
    session.flush()
    session.add(Piece(dossier_id=dossier.id, kind="facture", date=dt.date.fromisoformat(invoice["date"]),
                      number=invoice["number"], amount_ht=Decimal(invoice["ht"]),
                      amount_tva=Decimal(invoice["tva"]), amount_ttc=Decimal(invoice["ttc"])))
