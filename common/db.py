"""One SQLAlchemy database per app: a SQLite file by default, PostgreSQL when DATABASE_URL says so."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import contextlib
import datetime as dt
import os
import sqlite3
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

from flask import Flask, g, has_app_context
from sqlalchemy import Index, String, create_engine, event, func
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import QueuePool
from sqlalchemy.schema import CreateIndex


def utcnow() -> dt.datetime:
    """Naive UTC now, as every store records its timestamps."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class AddressColumns:
    """A postal address of a company (dealer, supplier): street, postcode, city, empty when unknown."""
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(80), default="")


def month_key(column, dialect: str):
    """SQL for the ``YYYY-MM`` of a date or timestamp column, to GROUP BY month: SQLite stores them as
    ISO text, so a prefix is enough (no date parsing per row)."""
    if dialect == "sqlite":
        return func.substr(column, 1, 7)
    return func.to_char(column, "YYYY-MM")


def month_group(column, dialect: str):
    """``(group, label)``: what to GROUP BY for the month of a date or timestamp column, and its
    ``YYYY-MM`` text to SELECT. On PostgreSQL the rows are grouped on ``date_trunc`` (cheaper than
    formatting each row) and only the groups are formatted; on SQLite both are ``month_key``."""
    if dialect == "sqlite":
        key = month_key(column, dialect)
        return key, key
    month = func.date_trunc("month", column)
    return month, func.to_char(month, "YYYY-MM")


PARTIAL_DIALECTS = ("sqlite", "postgresql")  # the databases that index only the rows a clause selects


def partial_index(name: str, column, *, where, unique: bool = False) -> Index:
    """An index holding only the rows ``where`` selects (a partial index, SQLite and PostgreSQL alike;
    elsewhere a full one). The clause is handed to the dialect as the index is created
    (``_create_index``), not named ``postgresql_where=`` here: that keyword loaded SQLAlchemy's
    PostgreSQL dialect with every one of its drivers' modules (~30 ms) as the models were imported,
    on SQLite too, at every start."""
    return Index(name, column, unique=unique, info={"where": where})


@compiles(CreateIndex)
def _create_index(create, compiler, **kw):
    """``CREATE INDEX`` as the dialect writes it, with a ``partial_index``'s clause as its own ``where``
    option."""
    index, dialect = create.element, compiler.dialect.name
    where = index.info.get("where")
    if where is not None and dialect in PARTIAL_DIALECTS:
        index.dialect_options[dialect]["where"] = where
    return compiler.visit_create_index(create, **kw)


def database_url(config: dict, app_name: str) -> str:
    """The app's database URL: DATABASE_URL if set, else ``<DATA_DIR>/<app_name>.sqlite3``."""
    if config.get("DATABASE_URL"):
        return config["DATABASE_URL"]
    data_dir = Path(config["DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    return private_sqlite_url(data_dir / (app_name + ".sqlite3"))


def private_sqlite_url(path: Path) -> str:
    """The URL of a SQLite file made readable by the app's user only (it holds personal data);
    SQLite gives its -wal/-shm files the same mode."""
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    path.chmod(0o600)
    return f"sqlite:///{path}"


def _sqlite_tuning(engine: Engine, immediate: bool) -> None:
    # WAL lets readers run beside a writer; writers BEGIN IMMEDIATE, taking the write lock up front so
    # two concurrent writers queue (busy_timeout) instead of failing on a lock upgrade. Readers BEGIN
    # DEFERRED: a request's read session never holds the lock its own write transaction waits for.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # a declaration confirmed to a user survives a crash
        cur.execute("PRAGMA secure_delete=ON")  # erased personal data is overwritten, not just unlinked
        cur.execute("PRAGMA busy_timeout=15000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # on the driver's connection (dbapi_connection: the group commit's, detached from the pool, has no
        # driver_connection): exec_driver_sql's execution context cost more than the BEGIN
        # itself, at every transaction (errors keep SQLAlchemy's types, as exec_driver_sql's did)
        try:
            conn.connection.dbapi_connection.execute(begin)
        except sqlite3.Error as exc:
            raise DBAPIError.instance(begin, (), exc, sqlite3.Error) from exc


# A request may hold its own session and open a second one beside it (a certification page reads the
# state a judge saved), and the app's background threads (outbox, judges) take their own: SQLAlchemy's
# 5 + 10 let 16 such requests hold all 15 and wait 30 s for a 16th. A SQLite file's connections are not
# counted (a file handle each: the server's threads bound them); a database server's are: 2 per thread of
# the harness's server (``common.serve.THREADS``) and the background threads', within PostgreSQL's
# default max_connections for a few apps' processes (the 5 kept open between requests as before)
SQLITE_POOL = {"pool_size": 8, "max_overflow": -1}
SERVER_POOL = {"pool_size": 5, "max_overflow": 35}


class Database:
    """One app's tables (its own ``DeclarativeBase``): ``transaction()`` for writes, ``session`` (one
    per request) for reads."""

    def __init__(self, url: str, base: type[DeclarativeBase]):
        self.url = url
        self._journal = None  # the app's journal, when it stores in this database (``init_app``)
        self.base = base
        self.engine = self._engine(immediate=True)
        self.read_engine = self._engine(immediate=False) if url.startswith("sqlite") else self.engine
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        # PostgreSQL: one advisory lock per app's tables (several apps may share a database)
        self._write_lock = (zlib.crc32(self._schema_name.encode()) if url.startswith("postgresql") else None)
        self.read_sessionmaker = sessionmaker(self.read_engine, expire_on_commit=False)

    def _engine(self, immediate: bool) -> Engine:
        sqlite = self.url.startswith("sqlite")
        kwargs: dict = {}
        url = make_url(self.url)
        if issubclass(url.get_dialect().get_pool_class(url), QueuePool):  # in memory: one connection, no pool
            kwargs.update(SQLITE_POOL if sqlite else SERVER_POOL)
        if sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        engine = create_engine(self.url, **kwargs)
        if sqlite:
            _sqlite_tuning(engine, immediate)
        return engine

    def create_all(self) -> list[str]:
        """Create the missing tables, and the columns and indexes added since an existing database
        was made (``common.schema``; a restart on an up-to-date one reads a single stamp); what was
        added, as ``common.schema.ensure`` names it. On a server database another process or thread
        (a second worker, the journal's writer) may create one between the check and the CREATE: try
        again."""
        from common import schema
        return schema.retry_races(lambda: schema.ensure(self.engine, self.base.metadata, self._schema_name))

    @property
    def _schema_name(self) -> str:
        return f"{self.base.__module__}.{self.base.__qualname__}"

    def drop_all(self) -> None:
        from common import schema
        self.base.metadata.drop_all(self.engine)
        schema.forget(self.engine, self._schema_name)  # the next create_all makes them again

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error. Write
        transactions of one app run one at a time, on PostgreSQL as on SQLite (BEGIN IMMEDIATE): a view
        that checks then inserts (the same form sent twice at once) sees what the other one wrote."""
        with self.sessionmaker() as session, session.begin():
            if self._write_lock is not None:
                # READ COMMITTED alone lets two such transactions both find nothing, then both insert.
                # The lock is the transaction's; waiting for it is bounded like SQLite's busy_timeout.
                session.connection().exec_driver_sql(
                    f"SET LOCAL lock_timeout = '15s'; SELECT pg_advisory_xact_lock({self._write_lock})")
            yield session

    def init_app(self, app: Flask) -> None:
        """Give each request one lazily-opened session (``db.session``), closed at teardown."""
        app.extensions["db"] = self
        if "journal" in app.extensions:  # the journal's tables live in the app's own database
            self._journal = app.extensions["journal"]
            self._journal.attach(self)

        @app.teardown_appcontext
        def _close(_exc):
            session = g.pop("_db_session", None)
            if session is not None:
                session.close()

    @property
    def session(self) -> Session:
        """This request's session for reads (writes go through ``transaction()``)."""
        if "_db_session" not in g:
            g._db_session = self.read_sessionmaker()
        return g._db_session

    def checkpoint(self, attempts: int = 40) -> bool:
        """SQLite: copy the WAL into the database file and truncate it, so no stale copy of a page
        stays on disk. Retried while a reader still holds an old snapshot; True once done."""
        if not self.url.startswith("sqlite"):
            return True
        if has_app_context() and "_db_session" in g:  # this request's own read snapshot would block the checkpoint
            g._db_session.close()
        raw = self.engine.raw_connection()
        try:
            for _ in range(attempts):
                busy, _log, _done = raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if busy == 0:
                    return True
                time.sleep(0.05)
            return False
        finally:
            raw.close()

    def dispose(self) -> None:
        """The app is done with its database: its journal writes what is queued first (it may write
        here), then every connection is closed."""
        journal, self._journal = self._journal, None
        if journal is not None:
            journal.close()
        self.engine.dispose()
        self.read_engine.dispose()
