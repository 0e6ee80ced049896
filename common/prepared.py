"""Core statements compiled once per dialect and run straight on the DBAPI cursor.

``Connection.execute`` of a Core statement already caches its SQL, but every call still builds an
execution context and runs SQLAlchemy's generic parameter processing — several times the cost of
the database's own work for a one-row statement on a hot path (the hand-off's write). ``Prepared``
keeps what SQLAlchemy compiled (the SQL text, the parameter order, each column type's bind
processor: JSON, dates, booleans) and applies it with a plain loop: same SQL, same stored values.

Errors keep SQLAlchemy's types (``sqlalchemy.exc.IntegrityError`` …) so callers need not care.
Only for statements whose values all come as parameters: an INSERT must name every column it
writes (a column default computed by SQLAlchemy would be skipped: refused at compile time).
``raw`` names parameters given already as the driver takes them (a JSON text serialised by the
caller, off the thread that holds a write transaction): their column type's processor is skipped.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError


class Prepared:
    """One statement: ``first(conn, params)`` its first row (a plain tuple, or None), ``run(conn, params)``
    its row count, ``inserted_id(conn, params)`` a one-row INSERT's new id, ``many(conn, rows)`` a batch."""

    def __init__(self, statement, keys: Iterable[str] | None = None, raw: Iterable[str] = ()):
        self.statement = statement
        self.keys = list(keys) if keys is not None else None  # an INSERT's columns
        self.raw = frozenset(raw)
        self._by_dialect: dict[str, tuple] = {}

    def _compiled(self, dialect) -> tuple:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect, column_keys=self.keys)
            if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
                raise ValueError("Prepared: give every column a value (a default would be computed by "
                                 "SQLAlchemy per execution)")
            processors = compiled._bind_processors
            names = compiled.positiontup if compiled.positional else list(compiled.bind_names.values())
            steps = tuple((name, None if name in self.raw else processors.get(name)) for name in dict.fromkeys(names))
            found = self._by_dialect[dialect.name] = (compiled.string, compiled.positional,
                                                      compiled.positiontup, steps)
        return found

    def first(self, conn: Connection, params: Mapping) -> tuple | None:
        """The statement's first row (None without one), run in ``conn``'s transaction."""
        cursor = self._execute(conn, params)
        try:
            return cursor.fetchone()
        finally:
            cursor.close()

    def run(self, conn: Connection, params: Mapping) -> int:
        """Run the statement in ``conn``'s transaction; how many rows it changed."""
        cursor = self._execute(conn, params)
        try:
            return cursor.rowcount
        finally:
            cursor.close()

    def inserted_id(self, conn: Connection, params: Mapping) -> int | None:
        """Run an INSERT of at most one row (SQLite); the new row's id, None when it inserted none.
        Without RETURNING, no row to step through: one interpreter-lock hand-over fewer than ``first``."""
        cursor = self._execute(conn, params)
        try:
            return cursor.lastrowid if cursor.rowcount == 1 else None
        finally:
            cursor.close()

    def many(self, conn: Connection, rows: Iterable[Mapping]) -> None:
        """Run the statement once per row, as one ``executemany`` in ``conn``'s transaction (a batch)."""
        sql, positional, order, steps = self._compiled(conn.dialect)
        args = [self._args(params, positional, order, steps) for params in rows]
        self._cursor(conn, sql, args, many=True).close()

    def _execute(self, conn: Connection, params: Mapping):
        sql, positional, order, steps = self._compiled(conn.dialect)
        return self._cursor(conn, sql, self._args(params, positional, order, steps))

    @staticmethod
    def _args(params: Mapping, positional: bool, order, steps):
        values = {}
        for name, process in steps:
            value = params[name]
            values[name] = process(value) if process is not None else value  # as SQLAlchemy: None too
        return tuple(values[name] for name in order) if positional else values

    @staticmethod
    def _cursor(conn: Connection, sql: str, args, many: bool = False):
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            (cursor.executemany if many else cursor.execute)(sql, args)
        except conn.dialect.loaded_dbapi.Error as exc:
            cursor.close()
            raise DBAPIError.instance(sql, args, exc, conn.dialect.loaded_dbapi.Error) from exc
        return cursor
