"""Numbers handed out one by one (a bon de commande's, a client's N°), from a counter row per name.

``max(number) + 1`` is unique only while every writer of the app holds its write lock; a counter row
is unique by itself: its UPDATE locks the row (PostgreSQL) or the database (SQLite) until the
transaction ends, so two transactions never read the same value, and a rolled-back one gives its
number back. The first use seeds the row from the numbers already stored (demo data, test routes),
and every use catches up with a number written without the counter.

Usage::

    Counter = define_counters(Base, "tec3h")             # table tec3h_counters
    number = next_number(tx, Counter, "order", Order.number, start=500001)
"""
from __future__ import annotations

from sqlalchemy import Integer, String, case, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column


def define_counters(base, prefix: str) -> type:
    """The counter model of an app's declarative ``base``: table ``<prefix>_counters`` (name, value)."""
    return type("Counter", (base,), {
        "__tablename__": f"{prefix}_counters",
        "__doc__": "The last number handed out under each name.",
        "__annotations__": {"name": Mapped[str], "value": Mapped[int]},
        "name": mapped_column(String(40), primary_key=True),
        "value": mapped_column(Integer),
    })


def next_number(session: Session, counter: type, name: str, column, *, start: int) -> int:
    """The next number of ``name`` in this transaction: above the counter's last one and above every
    ``column`` value already stored, ``start`` at the least."""
    if session.get_bind().dialect.name == "postgresql":  # imported at first use: not on the start path
        from sqlalchemy.dialects import postgresql as dialect
    else:
        from sqlalchemy.dialects import sqlite as dialect
    table = counter.__table__
    # concurrent first uses: one row is made, the others' inserts do nothing and wait on its lock
    session.execute(dialect.insert(table).values(name=name, value=start - 1).on_conflict_do_nothing())
    stored = select(func.coalesce(func.max(column), start - 1)).scalar_subquery()
    return session.execute(
        update(table).where(table.c.name == name)
        .values(value=case((stored > table.c.value, stored), else_=table.c.value) + 1)
        .returning(table.c.value)).scalar_one()
