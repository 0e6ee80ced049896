"""RGPD: find a customer's declarations, export their personal data, erase it for good.

Erasing keeps the sale's non-personal record (numbers, dates, vehicle, garantie, contract) and
removes every customer field from both the hand-off and the declared form; SQLite is then
checkpointed with secure_delete on, so no copy of the erased values stays in the database files.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
import weakref

from sqlalchemy import event, func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError

from common.dates import rfc3339
from centralisateur.store import Declaration, DeclarationSearch, utcnow
from common import journal

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


def search_text(payload: dict | None, form: dict | None) -> str:
    """The searched values of a declaration (form and hand-off), folded, one per line."""
    form, payload = form or {}, payload or {}
    customer, vehicle = payload.get("customer") or {}, payload.get("vehicle") or {}
    values = [form.get(k) for k in (*SEARCHED, "plate")]
    values += [customer.get(k) for k in SEARCHED] + [vehicle.get("plate")]
    return "\n".join(_fold(v) for v in values if v)


def _entry(declaration_id: int, rrdi: str, payload, form) -> dict:
    return {"declaration_id": declaration_id, "dealer_rrdi": rrdi, "text": search_text(payload, form)}


def refresh_search(connection, declaration_id: int, payload, form) -> None:
    """Keep the folded copy of a declaration its hand-off or form changed by a statement the ORM's
    events do not see (a DMS's correction, the declared form); a row not indexed yet is indexed from
    the stored data by the next search (``_index_missing``)."""
    connection.execute(update(DeclarationSearch).where(DeclarationSearch.declaration_id == declaration_id)
                       .values(text=search_text(payload, form)))


@event.listens_for(Declaration, "after_insert")
def _index_new(_mapper, connection, target: Declaration) -> None:
    connection.execute(insert(DeclarationSearch), _entry(target.id, target.dealer_rrdi, target.payload, target.form))


@event.listens_for(Declaration, "after_update")
def _index_changed(_mapper, connection, target: Declaration) -> None:
    state = inspect(target)
    if state.attrs.payload.history.has_changes() or state.attrs.form.history.has_changes():
        # an erasure lands here too: the folded copy of the erased values goes with them
        refresh_search(connection, target.id, target.payload, target.form)


# per database: the highest declaration id already checked to be indexed (see _index_missing)
_checked: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
RECHECK = 1_000  # ids below the mark checked again: a write still in flight when the mark was taken


def _index_missing(db) -> None:
    """Index the declarations written without the ORM (bulk loads, data from before the index). The
    first search of a process checks every declaration, the next ones only those above the mark (a
    primary-key range: ids only grow)."""
    top = db.session.scalar(select(func.max(Declaration.id))) or 0
    after = max(0, _checked.get(db, 0) - RECHECK)
    missing = (select(Declaration.id, Declaration.dealer_rrdi, Declaration.payload, Declaration.form)
               .outerjoin(DeclarationSearch, DeclarationSearch.declaration_id == Declaration.id)
               .where(Declaration.id > after, Declaration.id <= top, DeclarationSearch.declaration_id.is_(None)))
    rows = [_entry(i, rrdi, payload, form) for i, rrdi, payload, form in db.session.execute(missing)]
    if rows:
        try:
            with db.transaction() as tx:
                for start in range(0, len(rows), 5_000):
                    tx.execute(insert(DeclarationSearch), rows[start:start + 5_000])
        except IntegrityError:  # a search running beside this one indexed them first
            pass
        db.session.rollback()  # end the request's read snapshot (SQLite WAL): the next read sees the rows
    _checked[db] = top


def _candidates(db, rrdi: str, wanted: str) -> list[int]:
    """Ids of the declarations where a searched value of the form or of the hand-off may contain
    ``wanted``: one scan of the folded search column, the JSON documents left alone."""
    _index_missing(db)
    return list(db.session.scalars(select(DeclarationSearch.declaration_id).where(
        DeclarationSearch.dealer_rrdi == rrdi, DeclarationSearch.text.contains(wanted, autoescape=True))))


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


# What the journal's erasure looks for in an entry, so that it takes this customer's exchanges and no one
# else's. Values many people share (« France », « MME », « LYON », « 69003 », « Marie ») are never looked
# for: every hand-off names « France ». A last name is many people's too, and so is a birth date or a
# first name: an entry goes when it holds the last (or birth) name together with one of those — or one
# of the values a person has alone (an e-mail, a phone number, a SIRET), or when it belongs to the
# declaration's own traces. (The last name alone took the hand-off of another dealer's customer of the
# same name; the birth date alone, that of anyone born that day.)
ALONE = ("email", "phone", "mobile", "siret")
NAMES = ("last_name", "birth_name")
COMPANIONS = ("first_name", "birth_date", "address", "address2", "address3", "company_name")


def _personal(value: str) -> bool:
    """Whether a value of ``ALONE`` can only be one person's: an e-mail address (text@domain.tld), or a
    phone or SIRET number of 8 digits or more."""
    local, at, domain = value.partition("@")
    if at:
        return bool(local) and "." in domain.strip(".")
    return sum(c.isdigit() for c in value) >= 8


def _french_date(value: str) -> str | None:
    """« 29/06/1943 » for « 1943-06-29 » (a birth date as the pages write it); None for any other text."""
    try:
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y") if len(value) == 10 else None
    except ValueError:
        return None


def _values(customer: dict, keys: tuple[str, ...]) -> set[str]:
    """The texts of ``customer`` (declared or handed off) under ``keys``."""
    return {str(customer[k]) for k in keys if isinstance(customer.get(k), str | int)
            and not isinstance(customer.get(k), bool) and str(customer[k])}


def erase(db, rrdi: str, ids: list[int], app=None) -> int:
    """Erase the customers' data of the dealer's declarations ``ids``, journal entries included."""
    count = 0
    found = {"values": set(), "names": set(), "companions": set(), "bdcs": set()}
    with db.transaction() as session:
        for d in session.scalars(select(Declaration).where(Declaration.dealer_rrdi == rrdi,
                                                           Declaration.id.in_(ids))):
            for customer in (personal_data(d), d.payload.get("customer") or {}):
                for kind, keys in (("values", ALONE), ("names", NAMES), ("companions", COMPANIONS)):
                    found[kind] |= _values(customer, keys)
            found["bdcs"].add(d.bdc_number)
            payload = dict(d.payload)
            payload["customer"] = {"erased": True}
            d.payload = payload
            if d.form:
                d.form = {**{k: v for k, v in d.form.items() if k not in FORM_PERSONAL}, "erased": True}
            d.message = None
            count += 1
    # what is one person's alone only when it is what it says: a DMS sends a malformed e-mail or phone
    # as typed (a warning), and « api » or « 1 » as an e-mail would be found in everyone's exchanges
    found["values"] = {v for v in found["values"] if _personal(v)}
    found["companions"] |= {_french_date(v) for v in found["companions"] if _french_date(v)}  # as pages show it
    if app is not None:
        journal.erase(app, found.pop("values"), **found)
    db.checkpoint()
    return count
