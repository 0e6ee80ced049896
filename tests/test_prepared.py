"""``common.prepared``: statements run on the DBAPI cursor store what SQLAlchemy's Core would."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import JSON, Boolean, Column, DateTime, Integer, MetaData, String, Table, bindparam, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.exc import IntegrityError

from common.db import Database
from common.prepared import Prepared

META = MetaData()
ROWS = Table("rows", META, Column("id", Integer, primary_key=True), Column("ref", String(10), unique=True),
             Column("payload", JSON), Column("done", Boolean, default=False), Column("at", DateTime))


class _Base:  # Database wants a declarative base: only its metadata is used
    metadata = META


@pytest.fixture()
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'p.db'}", _Base)
    database.create_all()
    yield database
    database.dispose()


def test_prepared_insert_stores_what_core_reads_back(db):
    add = Prepared(insert(ROWS).on_conflict_do_nothing().returning(ROWS.c.id), ("ref", "payload", "done", "at"))
    at = dt.datetime(2026, 11, 30, 14, 5, 6, 789)
    with db.engine.begin() as conn:
        first = add.first(conn, {"ref": "A1", "payload": {"nom": "Zoé", "n": [1, 2]}, "done": True, "at": at})
        again = add.first(conn, {"ref": "A1", "payload": {}, "done": False, "at": at})
        changed = Prepared(ROWS.update().where(ROWS.c.id == bindparam("i")).values(done=bindparam("d"))).run(
            conn, {"i": first[0], "d": False})
    assert again is None and changed == 1
    with db.engine.connect() as conn:
        row = conn.execute(select(ROWS)).one()
    assert (row.ref, row.payload, row.done, row.at) == ("A1", {"nom": "Zoé", "n": [1, 2]}, False, at)


def test_prepared_errors_keep_sqlalchemy_types(db):
    add = Prepared(ROWS.insert(), ("id", "ref", "payload", "done", "at"))
    values = {"id": 1, "ref": "B", "payload": None, "done": False, "at": None}
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        add.run(conn, values)
        add.run(conn, values)
    with db.engine.connect() as conn:
        assert conn.execute(select(ROWS)).all() == []  # the transaction rolled back


def test_prepared_insert_refuses_a_default_it_would_skip(db):
    with pytest.raises(ValueError), db.engine.begin() as conn:
        Prepared(ROWS.insert(), ("ref", "payload", "at")).run(conn, {"ref": "C", "payload": {}, "at": None})


def test_prepared_raw_parameter_is_stored_as_given(db):
    # a JSON text serialised by the caller goes to the driver untouched (not quoted again as a string)
    add = Prepared(insert(ROWS).returning(ROWS.c.id), ("ref", "payload", "done", "at"), raw=("payload",))
    with db.engine.begin() as conn:
        add.first(conn, {"ref": "R", "payload": '{"nom":"Zoé","n":[1,2]}', "done": False, "at": None})
    with db.engine.connect() as conn:
        assert conn.execute(select(ROWS.c.payload)).scalar_one() == {"nom": "Zoé", "n": [1, 2]}


def test_prepared_inserted_id_is_the_new_rows_or_none(db):
    add = Prepared(insert(ROWS).on_conflict_do_nothing(), ("ref", "payload", "done", "at"))
    with db.engine.begin() as conn:
        first = add.inserted_id(conn, {"ref": "I1", "payload": {}, "done": False, "at": None})
        second = add.inserted_id(conn, {"ref": "I2", "payload": {}, "done": False, "at": None})
        again = add.inserted_id(conn, {"ref": "I1", "payload": {}, "done": True, "at": None})  # its ref is taken
    with db.engine.connect() as conn:
        assert dict(conn.execute(select(ROWS.c.ref, ROWS.c.id)).all()) == {"I1": first, "I2": second}
    assert again is None and first != second
