"""The instructed sale typed into the sale screen Bee2link and NeoVO share
(``simulators.dms.sale_form.SaleForm``): field by field, as a tester fills it in."""
from __future__ import annotations

import datetime as dt

from fixtures import reference

VEHICLE = ("plate", "vin", "brand", "model", "version", "energy", "din_power", "fiscal_power", "kw_power",
           "mileage_km", "usage", "ptac_kg")
CUSTOMER = ("civility", "last_name", "first_name", "birth_name", "birth_place", "birth_country", "nationality",
            "residence_country", "email", "phone", "mobile", "address", "postcode", "city")


def fr_date(iso: str | None) -> str:
    """2026-11-30 → 30/11/2026, as the screens take dates."""
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def typed(sale: dict) -> dict:
    """The sale screen's fields for ``sale`` (hand-off v1 shape)."""
    v, c, s, w = sale["vehicle"], sale["customer"], sale["sale"], sale["warranty"]
    fields = {name: "" if v.get(name) is None else str(v[name]) for name in VEHICLE}
    fields.update({name: c.get(name) or "" for name in CUSTOMER})
    fields.update({"first_registration": fr_date(v["first_registration"]), "birth_date": fr_date(c.get("birth_date")),
                   "consent": list(c.get("consent") or []), "seller": sale["seller"],
                   "sale_date": fr_date(s["sale_date"]), "delivery_date": fr_date(s["delivery_date"]),
                   "price_ttc": s["price_ttc"], "origin": s.get("origin") or "",
                   "warranty_level": reference.dms_level(w["product"], w["duration_months"]) or ""})
    return fields


def corrected(changes: dict) -> dict:
    """A correction (``{"vehicle.mileage_km": 12322}``) as the sale screen's fields."""
    return {path.split(".", 1)[1]: str(value) for path, value in changes.items()}
