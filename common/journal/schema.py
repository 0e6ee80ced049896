"""The journal's two tables, declared on an app's metadata, and how its times are written."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, Float, Integer, MetaData, String, Table, Text


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
        Column("response", Text, nullable=False))
    traces = Table(
        traces_name, metadata,
        Column("trace_id", String(32), primary_key=True),
        Column("bdc", String(32), primary_key=True, index=True),
        Column("tracestate", String(512)),
        Column("time", DateTime, nullable=False))
    return entries, traces


def rfc3339(moment: dt.datetime) -> str:
    """Naive UTC datetime → ``2026-11-30T06:01:02.123456Z``."""
    return moment.isoformat(timespec="microseconds") + "Z"
