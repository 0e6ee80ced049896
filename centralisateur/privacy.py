"""RGPD: find a customer's declarations, export their personal data, erase it for good.

Erasing keeps the sale's non-personal record (numbers, dates, vehicle, garantie, contract) and
removes every customer field from both the hand-off and the declared form; SQLite is then
checkpointed with secure_delete on, so no copy of the erased values stays in the database files.
"""
from __future__ import annotations

import json
import unicodedata

from sqlalchemy import func, select

from common.dates import rfc3339
from spoticar_handoff.models import Customer
from centralisateur.store import Declaration, utcnow
from common import journal

CUSTOMER_FIELDS = tuple(Customer.model_fields)
FORM_PERSONAL = ("civility", "last_name", "first_name", "email", "phone", "mobile", "address", "address2",
                 "address3", "postcode", "city", "birth_name", "birth_date", "birth_place", "residence_country",
                 "nationality", "birth_country", "consent", "company_name", "siret")


def _fold(value) -> str:
    text = str(value or "")
    if text.isascii():  # the common case, without the Unicode decomposition
        return text.lower()
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def personal_data(d: Declaration) -> dict:
    """The customer's data as declared (or as handed off when not declared yet)."""
    source = {k: d.form.get(k) for k in FORM_PERSONAL} if d.form else dict(d.payload.get("customer") or {})
    return {k: v for k, v in source.items() if v not in (None, "", [])}


SEARCHED = ("last_name", "first_name", "email", "phone", "mobile")


def _candidates(db, rrdi: str, wanted: str) -> list[int]:
    """Ids of the declarations where a searched value of the form or of the hand-off contains
    ``wanted``: only those fields are read (JSON paths in SQL), not 100,000 whole documents."""
    where = Declaration.dealer_rrdi == rrdi
    if db.engine.dialect.name == "sqlite":  # one JSON parse per document: json_extract with many paths
        form = func.json_extract(Declaration.form, *(f"$.{k}" for k in (*SEARCHED, "plate")))
        payload = func.json_extract(Declaration.payload, *(f"$.customer.{k}" for k in SEARCHED),
                                    "$.vehicle.plate")
        rows = ((i, *json.loads(f or "[]"), *json.loads(p or "[]"))
                for i, f, p in db.session.execute(select(Declaration.id, form, payload).where(where)))
    else:
        columns = [Declaration.form[k].as_string() for k in (*SEARCHED, "plate")]
        columns += [Declaration.payload[("customer", k)].as_string() for k in SEARCHED]
        columns.append(Declaration.payload[("vehicle", "plate")].as_string())
        rows = db.session.execute(select(Declaration.id, *columns).where(where))
    return [row[0] for row in rows if any(v and wanted in _fold(v) for v in row[1:])]


def find(db, rrdi: str, query: str) -> list[Declaration]:
    """The dealer's declarations whose customer name, email, phone or plate contains ``query``."""
    wanted = _fold(query)
    ids = _candidates(db, rrdi, wanted)
    found = []
    for start in range(0, len(ids), 500):  # the candidates, checked exactly as declared or handed off
        for d in db.session.scalars(select(Declaration).where(Declaration.id.in_(ids[start:start + 500]))):
            data = personal_data(d)
            haystack = [data.get("last_name"), data.get("first_name"), data.get("email"), data.get("phone"),
                        data.get("mobile"), (d.form or {}).get("plate") or d.payload["vehicle"].get("plate")]
            if any(wanted in _fold(h) for h in haystack if h):
                found.append(d)
    return sorted(found, key=lambda d: d.id, reverse=True)


def export(db, rrdi: str, ids: list[int]) -> dict:
    rows = db.session.scalars(select(Declaration).where(Declaration.dealer_rrdi == rrdi, Declaration.id.in_(ids)))
    return {"exported_at": rfc3339(utcnow()), "dealer_rrdi": rrdi,
            "declarations": [{"bdc_number": d.bdc_number, "status": d.status,
                              "declared_at": rfc3339(d.declared_at),
                              "contract_number": d.contract_number,
                              "vehicle_plate": (d.form or {}).get("plate") or d.payload["vehicle"].get("plate"),
                              "customer": personal_data(d)} for d in rows]}


def erase(db, rrdi: str, ids: list[int], app=None) -> int:
    """Erase the customers' data of the dealer's declarations ``ids``, journal entries included."""
    count, values = 0, set()
    with db.transaction() as session:
        for d in session.scalars(select(Declaration).where(Declaration.dealer_rrdi == rrdi,
                                                           Declaration.id.in_(ids))):
            values.update(str(v) for v in personal_data(d).values())
            values.update(str(v) for v in (d.payload.get("customer") or {}).values() if v)
            payload = dict(d.payload)
            payload["customer"] = {"erased": True}
            d.payload = payload
            if d.form:
                d.form = {**{k: v for k, v in d.form.items() if k not in FORM_PERSONAL}, "erased": True}
            d.message = None
            count += 1
    if app is not None:
        journal.erase(app, values - {"True", "False", "None"})
    db.checkpoint()
    return count
