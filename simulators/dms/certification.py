"""What the certification test routes of our DMS simulators share: the hand-off's vehicle fields a
DMS record keeps, and applying a tester's correction (``{"vehicle.mileage_km": 12322}``) to it."""
from __future__ import annotations

VEHICLE_FIELDS = ("brand", "model", "version", "energy", "plate", "vin", "din_power", "fiscal_power", "kw_power",
                  "mileage_km", "usage", "ptac_kg")


def correct(record, changes: dict, allowed: tuple[str, ...] = VEHICLE_FIELDS) -> bool:
    """Set each ``vehicle.<name>`` of ``changes`` on ``record``; False (nothing set) when one is not
    a correctable vehicle field."""
    names = [path.split(".", 1) for path in changes]
    if any(len(parts) != 2 or parts[0] != "vehicle" or parts[1] not in allowed for parts in names):
        return False
    for (_section, name), value in zip(names, changes.values()):
        setattr(record, name, value)
    return True
