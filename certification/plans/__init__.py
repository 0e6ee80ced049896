"""Certification plans kept as data (``v1.json`` …): scenarios with a stable id, a title, French
instructions, the sale to enter and the names of their checks. Loaded and rendered here."""
from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from pathlib import Path

CURRENT = "v1"
SELLER = "Nicolas Pélissier"
DEFAULT_SALE = {"origin": "Reprise VO sur VO", "price_ttc": "15000.00", "trade_in_value": None}


@functools.cache
def load(version: str = CURRENT) -> dict:
    """The plan ``version`` ("v1") as stored; ``KeyError`` for an unknown version."""
    path = Path(__file__).with_name(f"{version}.json")
    if not path.name[:-5].isidentifier() or not path.exists():
        raise KeyError(version)
    return json.loads(path.read_text(encoding="utf-8"))


def scenario(plan: dict, scenario_id: str) -> dict:
    return next(s for s in plan["scenarios"] if s["id"] == scenario_id)


def _dated(value, today: str):
    if isinstance(value, dict):
        return {k: _dated(v, today) for k, v in value.items()}
    return today if value == "@today" else value


def sale_for(plan: dict, scenario_id: str, *, dms: str, rrdi: str, today: dt.date,
             callback_url: str | None = None, serial: str | None = None) -> dict | None:
    """What the tester enters for a scenario, in the hand-off v1 shape (without ``dms_order_ref``,
    which the DMS chooses); None for a scenario with nothing to enter. ``serial`` (4 VIN characters)
    makes the VINs the session's own: Icare warrants a vehicle once, so two sessions never share one."""
    name = scenario(plan, scenario_id).get("sale")
    if name is None:
        return None
    case = copy.deepcopy(plan["sales"][name])
    if serial:
        index = list(plan["sales"]).index(name)
        case["vehicle"]["vin"] = case["vehicle"]["vin"][:11] + serial + f"{index:02d}"
    day = today.isoformat()
    warranty = {"start_date": day, "loyalty_product": "Aucun", **case["warranty"]}
    sale = {"source_dms": dms, "dealer": {"rrdi": rrdi}, "seller": SELLER,
            "sale": {"sale_date": day, "delivery_date": day, **DEFAULT_SALE},
            "customer": copy.deepcopy(plan["customer"]), "vehicle": case["vehicle"],
            "warranty": _dated(warranty, day), "callback_url": callback_url}
    return sale


def correction_for(plan: dict, scenario_id: str) -> dict:
    """``{"vehicle.mileage_km": 12322}``: the values the tester changes before sending again."""
    name = scenario(plan, scenario_id).get("sale")
    return dict(plan["sales"][name].get("correction") or {}) if name else {}


def vin_index(sales: dict[str, dict | None]) -> dict[str, str]:
    """VIN → scenario id (from scenario id → rendered sale): how a hand-off is matched to the
    scenario whose sale it carries."""
    return {sale["vehicle"]["vin"]: sid for sid, sale in sales.items() if sale}
