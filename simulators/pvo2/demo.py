"""PVO2 demo data beyond the seed's own vehicles: a plausible generated stock of labelled vehicles
(so every demo or test run has vehicles for sale), and the seed's dates moved next to today."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fixtures import reference
from fixtures.factories import Factory
from simulators.pvo2.store import Vehicle

GENERATED_BRANDS = ("PEUGEOT", "CITROEN", "OPEL", "DS")
LEVELS = {"DS": ("DS CERTIFIED", "DS Certified 12 mois")}
SPOTICAR_LEVELS = ("Spoticar-Premium 12 Mois", "Spoticar-Essential 12 mois", "Spoticar-Premium 24 Mois")


def generated_stock(seed: int, today: dt.date, count: int = 40) -> list[Vehicle]:
    """``count`` labelled stock vehicles, same ``seed`` and ``today`` → same vehicles."""
    factory = Factory(seed + 2002)
    energies = {code: label for label, code in reference.load("pvo2_demo")["energies"].items()}
    vehicles = []
    for index in range(count):
        v = factory.vehicle(brand=GENERATED_BRANDS[index % len(GENERATED_BRANDS)])
        label, level = LEVELS.get(v["brand"], ("SPOTICAR", SPOTICAR_LEVELS[index % len(SPOTICAR_LEVELS)]))
        first_registration = dt.date.fromisoformat(v["first_registration"])
        vehicles.append(Vehicle(
            stock_number=f"ST3560{index:04d}", plate=v["plate"], vin=v["vin"], brand=v["brand"],
            model=v["model"].title() if v["brand"] != "DS" else v["model"], version=v["version"].title(),
            energy=energies.get(v["energy"], "Essence"), gearbox=factory.rng.choice(("Manuelle", "Automatique")),
            first_registration=first_registration, mileage_km=v["mileage_km"], fiscal_power=v["fiscal_power"],
            din_power=v["din_power"], co2=0 if v["energy"] == "ELECTRIQUE" else factory.rng.randint(95, 140),
            critair=0 if v["energy"] == "ELECTRIQUE" else 1, color=factory.rng.choice(
                ("Gris Artense", "Blanc Nacré", "Noir Perla Nera (N)", "Bleu Vertigo", "Rouge Elixir")),
            provenance="Particulier", ptac_kg=v["ptac_kg"], price_ttc=Decimal(factory.price_of(v)),
            entry_date=today - dt.timedelta(days=factory.rng.randint(5, 90)), last_ct=None,
            label=label, warranty_level=level))
    return vehicles
