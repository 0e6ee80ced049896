"""The hand-off's write: one job of the app's group commit (``common.group_commit``) that checks the
dealer and records the sale in the same transaction, with Core statements compiled once.

The request thread does everything that needs no database (validation, eligibility, the callback
URL, a certification session's own dealer) and hands the job what it found; the job answers with
the ``Stored`` hand-off or with why the dealer check stopped it. The order of the answers stays
that of the API: unknown dealer, dealer of another DMS, certification dealer, then the rest.
"""
from __future__ import annotations

from typing import NamedTuple

import orjson
from sqlalchemy import String, bindparam, exists, func, literal_column, select

from centralisateur.privacy import refresh_search
from centralisateur.store import (
    BDC_BASE,
    BDC_PREFIX,
    Dealer,
    Declaration,
    bdc_number,
    utcnow,
)
from certification.store import CertSession
from common.prepared import Prepared

UNKNOWN_DEALER = "unknown_dealer"    # no such RRDI: 422
OTHER_DMS = "other_dms"              # the dealer is served by another DMS: 403
RESERVED = "reserved"                # a certification session's dealer, for a dealer's key: 403
REFUSED = "refused"                  # the dealer is fine, but the request found another refusal


class Stored(NamedTuple):
    id: int
    bdc_number: str
    status: str
    created: bool


class Sale(NamedTuple):
    """What the job needs: the order's keys, the normalised payload and what the request decided."""
    dms: str
    rrdi: str
    ref: str
    payload: dict
    check_reserved: bool   # a dealer's key (not a certification session's) may not use a session's dealer
    refused: bool          # the request has its own refusal, answered once the dealer checks pass
    payload_json: str      # ``payload`` as JSON text, made on the request thread (``payload_text``)
    trace_id: str | None = None    # the hand-off's trace (``common.journal.current``), stored with the sale
    tracestate: str | None = None


def payload_text(payload: dict) -> str:
    """The stored JSON text of a payload (read back by the column's ``json.loads`` as the same dict):
    serialised by orjson on the request thread, where json.dumps in the write job was a fifth of the
    writer's time — time every hand-off of the batch waits for."""
    return orjson.dumps(payload).decode()


_T = Declaration.__table__
_D = Dealer.__table__
_C = CertSession.__table__
# the hot path (a new sale) runs on the DBAPI cursor (``common.prepared``); a DMS re-sending an
# order takes the Core path below, rarely
_DEALER = Prepared(select(_D.c.dms, exists().where(_C.c.dealer_rrdi == _D.c.rrdi).label("reserved")).where(
    _D.c.rrdi == bindparam("d_rrdi")))
_FIND = select(_T.c.id, _T.c.bdc_number, _T.c.status, _T.c.form).where(
    _T.c.source_dms == bindparam("d_dms"), _T.c.dealer_rrdi == bindparam("d_rrdi"),
    _T.c.dms_order_ref == bindparam("d_ref"))
# not declared yet: the DMS's corrections pre-fill the form
_CORRECT = _T.update().where(_T.c.id == bindparam("d_id"), _T.c.status == "pending").values(
    payload=bindparam("d_payload"), callback_url=bindparam("d_callback"))
_NUMBER = Prepared(_T.update().where(_T.c.id == bindparam("d_id")).values(bdc_number=bindparam("d_bdc")))
# every column the INSERT writes, defaults included (``Prepared`` computes none)
_COLUMNS = ("source_dms", "dealer_rrdi", "dms_order_ref", "payload", "callback_url", "status", "icare_attempts",
            "callback_due", "callback_attempts", "created_at", "trace_id", "tracestate")
_INSERTS: dict[str, Prepared] = {}


def _row(sale: Sale, payload) -> dict:
    """The INSERT's values of a new hand-off (``payload``: as the statement takes it)."""
    return {"source_dms": sale.dms, "dealer_rrdi": sale.rrdi, "dms_order_ref": sale.ref, "payload": payload,
            "callback_url": sale.payload["callback_url"], "status": "pending", "icare_attempts": 0,
            "callback_due": False, "callback_attempts": 0, "created_at": utcnow(), "trace_id": sale.trace_id,
            "tracestate": sale.tracestate}


def _insert(dialect: str) -> Prepared:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id (SQLite and PostgreSQL alike): an order already
    recorded, even by another process a moment ago, inserts nothing instead of failing the batch."""
    statement = _INSERTS.get(dialect)
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        # SQLite takes the payload's JSON text as is; psycopg wants its own JSON adapter (the dict)
        statement = _INSERTS[dialect] = Prepared(insert(_T).on_conflict_do_nothing().returning(_T.c.id), _COLUMNS,
                                                 raw=("payload",) if dialect == "sqlite" else ())
    return statement


def _checked_insert() -> Prepared:
    """SQLite: the dealer check and the INSERT in one statement, no RETURNING — the row is inserted
    only for a dealer of this DMS that no certification session holds, with the id SQLite would pick
    itself (the largest plus one: no AUTOINCREMENT; the transaction holds the write lock) and the
    numéro ``bdc_number`` makes of it; nothing is inserted when a check fails or the order was recorded
    before (``store`` then finds which, as before). Each statement, and each row stepped through,
    hands the interpreter lock over and waits to get it back, in the thread every hand-off of the
    batch waits for: the dealer SELECT, the INSERT … RETURNING and the UPDATE of the number were 8."""
    # constants written into the SQL: ``Prepared`` binds the caller's values only
    # max(id) alone in its subquery: SQLite reads it off the end of the table's b-tree, no scan
    new_id = func.coalesce(select(func.max(_T.c.id)).scalar_subquery(), literal_column("0")) + literal_column("1")
    number = (literal_column(f"'{BDC_PREFIX}'", String) + bindparam("dealer_rrdi", type_=String)
              + func.printf(literal_column("'%09d'"), new_id + literal_column(str(int(BDC_BASE)))))
    chosen = select(new_id, number, *(bindparam(name, type_=_T.c[name].type) for name in _COLUMNS)).where(
        _D.c.rrdi == bindparam("dealer_rrdi"), _D.c.dms == bindparam("source_dms"),
        ~exists().where(_C.c.dealer_rrdi == _D.c.rrdi))
    from sqlalchemy.dialects.sqlite import insert
    statement = insert(_T).from_select(["id", "bdc_number", *_COLUMNS], chosen, include_defaults=False)
    return Prepared(statement.on_conflict_do_nothing(), raw=("payload",))


_CHECKED_INSERT = _checked_insert()


def store(conn, sale: Sale) -> Stored | str:
    """Check the dealer, then record the hand-off or find the one already sent for this DMS order.
    Runs inside the writer's transaction and may run again (``common.group_commit``): idempotent."""
    if sale.check_reserved and not sale.refused and conn.dialect.name == "sqlite":  # the common case
        new_id = _CHECKED_INSERT.inserted_id(conn, _row(sale, sale.payload_json))
        if new_id is not None:
            return Stored(new_id, bdc_number(sale.rrdi, new_id), "pending", True)
    dealer = _DEALER.first(conn, {"d_rrdi": sale.rrdi})
    if dealer is None:
        return UNKNOWN_DEALER
    dms, reserved = dealer
    if dms != sale.dms:
        return OTHER_DMS
    if sale.check_reserved and reserved:
        return RESERVED
    if sale.refused:
        return REFUSED
    payload = sale.payload
    insert = _insert(conn.dialect.name)
    inserted = insert.first(conn, _row(sale, sale.payload_json if "payload" in insert.raw else payload))
    if inserted is None:  # this order was sent before
        keys = {"d_dms": sale.dms, "d_rrdi": sale.rrdi, "d_ref": sale.ref}
        existing = conn.execute(_FIND, keys).first()
        if existing.status == "pending":
            conn.execute(_CORRECT, {"d_id": existing.id, "d_payload": payload,
                                    "d_callback": payload["callback_url"]})
            refresh_search(conn, existing.id, payload, existing.form)  # the RGPD search follows it
        return Stored(existing.id, existing.bdc_number, existing.status, False)
    new_id = inserted[0]
    number = bdc_number(sale.rrdi, new_id)
    _NUMBER.run(conn, {"d_id": new_id, "d_bdc": number})
    return Stored(new_id, number, "pending", True)


_BINDING = Prepared(select(_T.c.trace_id, _T.c.tracestate).where(_T.c.bdc_number == bindparam("d_bdc")))


def trace_binding(db):
    """The journal's look-up of a declaration's trace by its numéro de BDC (``common.journal.bind_lookup``):
    one query on the unique index of ``bdc_number``. ``(trace_id, tracestate)``; ``UNBOUND`` for a numéro
    no hand-off made here (the journal concludes at once); None for a declaration stored before its
    trace was (the journal's own table decides)."""
    from common.journal import binding_of

    def lookup(bdc: str):
        with db.read_engine.connect() as conn:
            return binding_of(_BINDING.first(conn, {"d_bdc": bdc}))
    return lookup


def existing(db, sale: Sale) -> Stored | None:
    """The hand-off stored for this DMS order (None if there is none)."""
    with db.read_engine.connect() as conn:
        row = conn.execute(_FIND, {"d_dms": sale.dms, "d_rrdi": sale.rrdi, "d_ref": sale.ref}).first()
    return Stored(row.id, row.bdc_number, row.status, False) if row is not None else None
