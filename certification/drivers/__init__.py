"""``DmsDriver`` implementations for our own DMS simulators (``certify run --simulator``)."""
from __future__ import annotations

DRIVERS = {"bee2link": "certification.drivers.bee2link:Bee2linkDriver",
           "neovo": "certification.drivers.neovo:NeovoDriver",
           "pvo2": "certification.drivers.pvo2:Pvo2Driver",
           "tec3h": "certification.drivers.tec3h:Tec3hDriver"}


def driver_class(dms: str):
    """The driver class for one of our simulators; ``ValueError`` (French) when there is none yet."""
    import importlib
    if dms not in DRIVERS:
        raise ValueError(f"pas encore de pilote de certification pour le simulateur {dms} "
                         f"(disponibles : {', '.join(DRIVERS)}).")
    module, name = DRIVERS[dms].split(":")
    return getattr(importlib.import_module(module), name)
