"""An existing database made by an older version gets, at start-up, the tables, columns and indexes
declared since (no ``up --reset``); a restart on an up-to-date one reads one stamp and changes nothing.
On PostgreSQL when DATABASE_URL is set (``scripts/with-postgres.sh``), else on SQLite files."""
from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, event, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase

from common.db import Database, partial_index, utcnow
from common.schema import SchemaUpgradeError


def _url(tmp_path) -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'app.sqlite3'}"


def _bases(prefix: str, *, later: dict | None = None):
    """The "older version" (one table) and the "newer" one: new columns, an index, a new table."""

    class Old(DeclarativeBase):
        pass

    Table = type("Thing", (Old,), {"__tablename__": f"{prefix}_things",
                                   "id": Column(Integer, primary_key=True),
                                   "name": Column(String(40), nullable=False)})

    class New(DeclarativeBase):
        pass

    Thing = type("Thing", (New,), {
        "__tablename__": f"{prefix}_things",
        "id": Column(Integer, primary_key=True),
        "name": Column(String(40), nullable=False, index=True),
        "note": Column(String(80)),                                       # nullable
        "state": Column(String(10), nullable=False, default="draft"),     # scalar default
        "flagged": Column(Boolean, nullable=False, server_default=text("false")),
        "created_at": Column(DateTime, nullable=False, default=utcnow),   # callable default
        "__table_args__": (Index(f"ix_{prefix}_things_state_name", "state", "name"),),
        **(later or {})})
    type("Part", (New,), {"__tablename__": f"{prefix}_parts", "id": Column(Integer, primary_key=True),
                          "thing_id": Column(ForeignKey(f"{prefix}_things.id"), index=True)})
    return Old, Table, New, Thing


@pytest.fixture
def prefix():
    return "t" + uuid.uuid4().hex[:10]  # tables of this test only (a shared PostgreSQL database)


def _drop(db: Database) -> None:
    db.drop_all()
    db.dispose()


def test_an_older_database_gets_the_columns_indexes_and_tables_added_since(tmp_path, prefix):
    Old, OldThing, New, Thing = _bases(prefix)
    old = Database(_url(tmp_path), Old)
    old.create_all()
    with old.transaction() as session:
        session.add_all([OldThing(name="un"), OldThing(name="deux")])
    old.dispose()

    new = Database(_url(tmp_path), New)
    try:
        new.create_all()
        catalogue = inspect(new.engine)
        assert {c["name"] for c in catalogue.get_columns(f"{prefix}_things")} == {
            "id", "name", "note", "state", "flagged", "created_at"}
        assert {i["name"] for i in catalogue.get_indexes(f"{prefix}_things")} == {
            f"ix_{prefix}_things_name", f"ix_{prefix}_things_state_name"}
        assert f"{prefix}_parts" in catalogue.get_table_names()
        with new.transaction() as session:
            rows = session.query(Thing).order_by(Thing.id).all()
            assert [(r.name, r.note, r.state, r.flagged) for r in rows] == [
                ("un", None, "draft", False), ("deux", None, "draft", False)]
            assert all(abs(r.created_at - dt.datetime.now(dt.UTC).replace(tzinfo=None))
                       < dt.timedelta(minutes=5) for r in rows)
            session.add(Thing(name="trois"))
        with new.transaction() as session:
            assert session.query(Thing).filter_by(name="trois").one().state == "draft"
    finally:
        _drop(new)


def test_a_restart_on_an_up_to_date_database_reads_one_stamp(tmp_path, prefix):
    _old, _t, New, _thing = _bases(prefix)
    db = Database(_url(tmp_path), New)
    db.create_all()
    db.dispose()
    again = Database(_url(tmp_path), New)
    statements = []
    for engine in {again.engine, again.read_engine}:
        event.listen(engine, "before_cursor_execute",
                     lambda _c, _cur, statement, *_a: statements.append(statement))
    try:
        again.create_all()
        work = [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SELECT PG_"))]
        assert len(work) == 1 and "harness_schema" in work[0], work
    finally:
        _drop(again)


def test_a_required_column_without_default_asks_for_a_reset(tmp_path, prefix):
    Old, OldThing, New, _thing = _bases(prefix, later={"code": Column(String(5), nullable=False)})
    old = Database(_url(tmp_path), Old)
    old.create_all()
    with old.transaction() as session:
        session.add(OldThing(name="un"))
    old.dispose()
    new = Database(_url(tmp_path), New)
    try:
        with pytest.raises(SchemaUpgradeError, match=r"things\.code.*up --reset"):
            new.create_all()
        # nothing half-done: the same older table, its row kept
        assert "note" not in {c["name"] for c in inspect(new.engine).get_columns(f"{prefix}_things")}
        with new.engine.connect() as connection:
            assert connection.execute(text(f"SELECT name FROM {prefix}_things")).scalars().all() == ["un"]
    finally:
        _drop(new)


def test_tables_dropped_by_a_reset_are_made_again(tmp_path, prefix):
    _old, _t, New, _thing = _bases(prefix)
    db = Database(_url(tmp_path), New)
    try:
        db.create_all()
        db.drop_all()  # up --reset on a server database
        assert f"{prefix}_things" not in inspect(db.engine).get_table_names()
        db.create_all()
        assert f"{prefix}_things" in inspect(db.engine).get_table_names()
    finally:
        _drop(db)


def test_an_app_restarted_on_an_older_data_directory_gets_the_index_back(tmp_path):
    """The real case: PVO2's data directory from before an index was declared (dropped here, with the
    stamp an older version did not write) answers again with the index, its data kept."""
    import sqlite3

    from simulators import pvo2
    config = {"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "BACKGROUND_JOBS": False,
              "URLS": {"centralisateur": "http://127.0.0.1:9", "icare": "http://127.0.0.1:9"}}
    app = pvo2.create_app(config)
    pvo2.seed_demo(app, 0)
    app.extensions["harness_stop"]()
    index = "ix_pvo2_reservations_order_number"
    with sqlite3.connect(tmp_path / "pvo2.sqlite3") as older:
        assert older.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (index,)).fetchone()
        older.execute(f"DROP INDEX {index}")
        older.execute("DROP TABLE harness_schema")
    app = pvo2.create_app(config)
    try:
        assert app.test_client().get("/offres/").status_code == 200
        with sqlite3.connect(tmp_path / "pvo2.sqlite3") as upgraded:
            assert upgraded.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (index,)).fetchone()
            assert upgraded.execute("SELECT count(*) FROM pvo2_orders").fetchone()[0] > 0
    finally:
        app.extensions["harness_stop"]()


def test_a_partial_index_is_made_partial_and_keeps_its_rule(tmp_path, prefix):
    """``common.db.partial_index`` (the centralisateur's contract number, Icare retry and callback
    indexes) is created with its clause on SQLite and PostgreSQL alike, without naming either dialect
    in the model: the index holds only the rows the clause selects, and a unique one still refuses a
    value twice."""
    class Base(DeclarativeBase):
        pass

    Thing = type("Thing", (Base,), {"__tablename__": f"{prefix}_things", "id": Column(Integer, primary_key=True),
                                    "number": Column(String(20))})
    partial_index(f"ux_{prefix}_things_number", Thing.number, unique=True, where=Thing.number.is_not(None))
    db = Database(_url(tmp_path), Base)
    try:
        db.create_all()
        index = next(i for i in inspect(db.engine).get_indexes(f"{prefix}_things")
                     if i["name"] == f"ux_{prefix}_things_number")
        where = index["dialect_options"][f"{db.engine.dialect.name}_where"]
        assert "number IS NOT NULL" in str(where).replace("(", "").replace(")", ""), where
        with db.transaction() as session:
            session.add_all([Thing(number=None), Thing(number=None), Thing(number="A1")])
        with pytest.raises(IntegrityError), db.transaction() as session:
            session.add(Thing(number="A1"))
    finally:
        _drop(db)
