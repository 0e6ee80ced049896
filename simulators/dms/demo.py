"""Demo data Bee2link and NeoVO make alike: Faker vehicles of the brands they sell, a demo item's
vehicle columns, the warranty level of a generated sale."""
from __future__ import annotations

import datetime as dt

from fixtures.factories import Factory

GENERATED_BRANDS = ("PEUGEOT", "CITROEN", "DS", "OPEL", "FIAT")

# ``simulators.dms.store.VehicleColumns`` but ``usage``, left to its default
VEHICLE_COLUMNS = ("brand", "model", "version", "energy", "first_registration", "din_power", "fiscal_power",
                   "kw_power", "mileage_km", "ptac_kg")


def generated_vehicle(factory: Factory, brand: str | None = None) -> dict:
    """A Faker vehicle of ``brand``, else of one of ``GENERATED_BRANDS`` (same factory state → same
    vehicle)."""
    return factory.vehicle(brand=brand or factory.rng.choice(GENERATED_BRANDS))


def warranty_level(brand: str, levels: list[str], index: int) -> str:
    """A generated sale's warranty level: DS's own for a DS, else the demo's levels in turn."""
    return "DS Certified 12 mois" if brand == "DS" else levels[index % len(levels)]


def vehicle_values(factory: Factory, item: dict) -> dict:
    """The vehicle columns of a demo item; a plate or VIN the seed data leaves out is made up."""
    values = {name: item[name] for name in VEHICLE_COLUMNS}
    if isinstance(values["first_registration"], str):
        values["first_registration"] = dt.date.fromisoformat(values["first_registration"])
    values["plate"] = item.get("plate") or factory.plate()
    values["vin"] = item.get("vin") or factory.vin(item["brand"])
    return values
