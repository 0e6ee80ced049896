"""Bring an existing database up to the tables, columns and indexes the code declares, at start-up.

There are no migrations: a data directory made by an older version lacks what was added since (an
index, a column, a table). ``ensure`` adds it, on SQLite and PostgreSQL alike, and records the
schema's fingerprint (``harness_schema``: one row per declarative base and fingerprint); a restart on
an up-to-date database then costs a single SELECT of that stamp instead of reading the catalogue.

Only additions: a column or index the code no longer declares is left in place, and a changed type
is not converted. A new NOT NULL column is filled on the existing rows with its default (its server
default, or its Python default computed once); one without any default cannot be, and start-up stops
with a message asking for ``up --reset``.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Column, MetaData, String, Table, inspect, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.schema import CreateColumn

STAMPS = Table("harness_schema", MetaData(),
               Column("base", String(200), primary_key=True),
               Column("fingerprint", String(64), primary_key=True))

_IS_STAMPED = text("SELECT 1 FROM harness_schema WHERE base = :base AND fingerprint = :fingerprint")
T = TypeVar("T")
RACES = ("already exists", "duplicate key", "duplicate column", "unique constraint failed")


class SchemaUpgradeError(RuntimeError):
    """The existing database cannot be brought up to the declared schema without losing data."""


def fingerprint(metadata: MetaData) -> str:
    """A hash of what ``metadata`` declares: tables, their columns (type, nullability), indexes."""
    shape = [[table.name,
              sorted([c.name, type(c.type).__name__, bool(c.nullable)] for c in table.columns),
              sorted([i.name or "", sorted(c.name for c in i.columns), bool(i.unique)] for i in table.indexes)]
             for table in sorted(metadata.tables.values(), key=lambda t: t.name)]
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:32]


def is_current(engine: Engine, base: str, stamp: str) -> bool:
    """Whether ``base``'s schema of fingerprint ``stamp`` was already brought up to date in this
    database (False too when there is no stamp table yet: a new or an older database)."""
    try:
        with engine.connect() as connection:  # plain SQL: nothing to compile on the restart's path
            found = connection.execute(_IS_STAMPED, {"base": base, "fingerprint": stamp}).first()
    except (OperationalError, ProgrammingError):  # no stamp table
        return False
    return found is not None


def ensure(engine: Engine, metadata: MetaData, base: str) -> list[str]:
    """Create what ``metadata`` declares and the database lacks (tables, columns, indexes), then stamp
    it; what was added, as ``table``, ``table.column``, ``index`` names (empty when up to date)."""
    stamp = fingerprint(metadata)
    if is_current(engine, base, stamp):
        return []
    with engine.begin() as connection:  # one transaction: all of it or nothing
        added = complete(connection, metadata.sorted_tables)
        STAMPS.create(connection, checkfirst=True)
    _stamp(engine, base, stamp)
    return added


def complete(connection: Connection, tables: list[Table]) -> list[str]:
    """Create those of ``tables`` the database lacks and add the columns and indexes the others lack
    (no stamp: ``ensure`` stamps); what was added, named as by ``ensure``."""
    added: list[str] = []
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    missing = [t for t in tables if t.name not in existing]
    if missing:
        missing[0].metadata.create_all(connection, tables=missing)
        added += [t.name for t in missing]
    for table in tables:
        if table.name not in existing:
            continue
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in columns:
                _add_column(connection, table, column)
                added.append(f"{table.name}.{column.name}")
        indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(connection)
                added.append(index.name)
    return added


def forget(engine: Engine, base: str) -> None:
    """Drop ``base``'s stamps (its tables were dropped: the next start creates them again)."""
    try:
        with engine.begin() as connection:
            connection.execute(STAMPS.delete().where(STAMPS.c.base == base))
    except (OperationalError, ProgrammingError):  # no stamp table: nothing to forget
        pass


def raced(error: Exception) -> bool:
    """Whether ``error`` is another process having created the same thing first (workers starting
    together on one database): checking again then finds it."""
    return any(words in str(error).lower() for words in RACES)


def retry_races(action: Callable[[], T]) -> T:
    """``action()`` (creating tables, columns, indexes), tried again, three times in all, while it
    fails because another process or thread created the same thing between its check and its CREATE
    (a second worker, the journal's writer): checking again then finds it."""
    for attempt in range(3):
        try:
            return action()
        except (ProgrammingError, IntegrityError, OperationalError) as exc:
            if attempt == 2 or not raced(exc):
                raise


def _stamp(engine: Engine, base: str, stamp: str) -> None:
    try:
        with engine.begin() as connection:
            connection.execute(STAMPS.insert().values(base=base, fingerprint=stamp))
    except IntegrityError:  # stamped by another process meanwhile
        pass


def _add_column(connection: Connection, table: Table, column: Column) -> None:
    """ALTER TABLE … ADD COLUMN, the existing rows given the column's default when it has one."""
    dialect = connection.dialect
    where = dialect.identifier_preparer.format_table(table)
    if column.nullable or column.server_default is not None:
        connection.execute(text(f"ALTER TABLE {where} ADD COLUMN {CreateColumn(column).compile(dialect=dialect)}"))
        return
    default = column.default
    if default is None or getattr(default, "is_sequence", False):
        raise SchemaUpgradeError(
            f"La base existante n'a pas la colonne {table.name}.{column.name}, obligatoire et sans valeur "
            "par défaut pour les lignes déjà enregistrées : repartez d'une base neuve (up --reset).")
    value = default.arg if default.is_scalar or default.is_clause_element else default.arg(None)
    name = dialect.identifier_preparer.format_column(column)
    connection.execute(text(f"ALTER TABLE {where} ADD COLUMN {name} {column.type.compile(dialect=dialect)}"))
    connection.execute(update(table).values({column.name: value}))
    if dialect.name == "postgresql":  # SQLite cannot add NOT NULL afterwards: the model still requires it
        connection.execute(text(f"ALTER TABLE {where} ALTER COLUMN {name} SET NOT NULL"))
