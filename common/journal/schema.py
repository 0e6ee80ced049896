"""The journal's two tables (declared on an app's metadata; on SQLite in a file of their own), how a batch
of entries is inserted, and how times are written."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import orjson
from sqlalchemy import (Column, DateTime, Float, Integer, LargeBinary, MetaData, String, Table, Text, and_, bindparam, cast,
                        insert, or_, select)


MARK_LENGTH = 64  # a longer value is not indexed (``mark_of``): its exchanges are found by their text


def tables(metadata: MetaData, name: str) -> tuple[Table, Table]:
    """``<name>_journal`` (the entries) and ``<name>_journal_traces`` (trace id ↔ numéro de BDC)."""
    entries_name, traces_name = f"{name}_journal", f"{name}_journal_traces"
    if entries_name in metadata.tables:
        return metadata.tables[entries_name], metadata.tables[traces_name]
    entries = Table(
        entries_name, metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("time", DateTime, index=True, nullable=False),
        Column("direction", String(3), nullable=False),
        Column("method", String(16), nullable=False),
        Column("url", Text, nullable=False),
        Column("path", Text, nullable=False),
        Column("status", Integer),
        Column("duration_ms", Float),
        Column("trace_id", String(32), index=True, nullable=False),
        Column("span_id", String(16), nullable=False),
        Column("bdc", String(32), index=True),
        Column("request", Text, nullable=False),
        Column("response", Text, nullable=False),
        # the value of the header the app marks exchanges with (``JOURNAL_MARK_HEADER``: a certification
        # session's), on its answer (``in``) or on its call (``out``): a session's exchanges are read
        # off this index, not looked for in the text of every exchange since the session opened
        Column("mark", String(MARK_LENGTH), index=True))
    traces = Table(
        traces_name, metadata,
        # numéro de BDC first: a BDC is looked up (queries by BDC), a trace never is here; and new BDCs
        # follow one another in the key, where random trace ids touched a page of it each (a
        # hand-off's binding: ~20 % of its write); the key serves the look-up, no second index
        Column("bdc", String(32), primary_key=True),
        Column("trace_id", String(32), primary_key=True),
        Column("tracestate", String(512)),
        Column("time", DateTime, nullable=False))
    return entries, traces


BINDING_COLUMNS = ("trace_id", "bdc", "time", "tracestate")
ENTRY_COLUMNS = ("time", "direction", "method", "url", "path", "status", "duration_ms", "trace_id", "span_id",
                 "bdc", "request", "response", "mark")


PARTS = ("request", "response")


def entries_insert(entries: Table, utf8_parts: bool):
    """The entries' INSERT; ``utf8_parts``: ``request`` and ``response`` come as their JSON's UTF-8 bytes
    and SQLite makes them text itself (``CAST(? AS TEXT)``: the same bytes, stored as TEXT) — a page's
    ~15 KB JSON was decoded into a Python string only for the driver to encode it back (~30 µs of the
    writer's CPU an entry). On another database they come as text."""
    if not utf8_parts:
        return insert(entries)
    return insert(entries).values({part: cast(bindparam(part, type_=LargeBinary), Text) for part in PARTS})


def prepared_sqlite(path: Path) -> str:
    """The URL of the journal's SQLite file, created with 16 KiB pages: an entry with a page's body
    (~14 KB) then fills one page instead of four chained ones — a third less for the writer to store.
    The page size is fixed before the file's first write (WAL mode keeps it from changing later)."""
    import sqlite3

    from common.db import private_sqlite_url
    url = private_sqlite_url(path)
    if path.stat().st_size == 0:
        connection = sqlite3.connect(path)
        try:
            connection.execute("PRAGMA page_size=16384")
            connection.execute("PRAGMA journal_mode=WAL")
        finally:
            connection.close()
    return url


def rfc3339(moment: dt.datetime) -> str:
    """Naive UTC datetime → ``2026-11-30T06:01:02.123456Z``."""
    return moment.isoformat(timespec="microseconds") + "Z"


def bindings_insert(connection, traces: Table, bindings: dict):
    """The INSERT of new trace ↔ BDC bindings, skipping those already stored (by another worker, or
    before this process started): ON CONFLICT DO NOTHING where the database has it; elsewhere the
    stored ones are looked up and taken out of ``bindings``."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        known = set(connection.execute(select(traces.c.trace_id, traces.c.bdc).where(
            traces.c.bdc.in_({b for _, b in bindings}))).all())
        for pair in known:
            bindings.pop(tuple(pair), None)
        return insert(traces)
    return dialect_insert(traces).on_conflict_do_nothing()


def read_part(text: str) -> dict:
    try:
        return orjson.loads(text)  # a few times the standard decoder's speed: a reader takes thousands
    except orjson.JSONDecodeError:  # an escaped lone surrogate (the standard encoder's fallback)
        return json.loads(text)


def as_entry(app: str, row) -> dict:
    """A stored row as the journal entry every reader gets."""
    return {"id": row["id"], "app": app, "time": rfc3339(row["time"]),
            "direction": row["direction"], "method": row["method"], "url": row["url"],
            "path": row["path"], "status": row["status"], "duration_ms": row["duration_ms"],
            "trace_id": row["trace_id"], "span_id": row["span_id"], "bdc": row["bdc"],
            "request": read_part(row["request"]), "response": read_part(row["response"])}


def mark_of(direction: str, request: dict, response: dict, name: str | None) -> str | None:
    """The ``mark`` column of an exchange: the value of header ``name`` the app set on it (its answer
    to a request it served, its own request for a call it made), or None (no such header, no mark
    header configured, a value too long for the index)."""
    if not name:
        return None
    value = own_header({"direction": direction, "request": request, "response": response}, name)
    return value if value is not None and len(value) <= MARK_LENGTH else None


def own_header(entry: dict, name: str) -> str | None:
    """A header the app itself set on an exchange: on its answer to a request it served (``in``), on a
    request it made (``out``); case-insensitive name. (A header the other side sent is not the app's.)"""
    part = entry["response"] if entry["direction"] == "in" else entry["request"]
    wanted = name.lower()
    return next((value for key, value in (part.get("headers") or {}).items() if key.lower() == wanted), None)


def header_condition(e: Table, name: str, value: str):
    """SQL keeping the entries whose stored part (answer of ``in``, request of ``out``) holds the text of
    header ``name: value`` — as orjson writes it and as the standard encoder did, the name as sent,
    Title-Cased or lower-cased (httpx); ``query`` then checks the header itself. A value with accents
    is looked for as written (UTF-8) and escaped (``\\u00e9``: the standard encoder's entries before
    it wrote UTF-8, ``registry.to_json``)."""
    quoted = {json.dumps(value, ensure_ascii=False), json.dumps(value)}
    return own_part_holds(e, [f"{n}{sep}{q}" for n in header_names(name) for sep in (":", ": ") for q in quoted])


def header_names(name: str) -> set[str]:
    """A header's name as an entry's JSON may hold it: as sent, Title-Cased or lower-cased (httpx), quoted."""
    return {json.dumps(n) for n in (name, name.title(), name.lower())}


def own_part_holds(e: Table, texts) -> object:
    """SQL keeping the entries whose part the app wrote (its answer of ``in``, its request of ``out``)
    holds one of ``texts``."""
    texts = list(texts)
    return or_(and_(e.c.direction == "in", or_(*[e.c.response.contains(x, autoescape=True) for x in texts])),
               and_(e.c.direction == "out", or_(*[e.c.request.contains(x, autoescape=True) for x in texts])))
