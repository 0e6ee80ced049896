"""``common.group_commit``: writers of one SQLite file take turns, every answered job is stored."""
from __future__ import annotations

import threading

from sqlalchemy import Column, Integer, MetaData, String, Table, func, select

from common.db import Database
from common.group_commit import GroupCommitter

META = MetaData()
ROWS = Table("rows", META, Column("id", Integer, primary_key=True), Column("ref", String(20), unique=True))


class _Base:  # Database wants a declarative base: only its metadata is used
    metadata = META


def test_two_writers_of_one_file_store_every_answered_job(tmp_path):
    """Two committers (as two processes would: each its own connection and lock file handle) write
    the same file at once; each answered job is in the file, none twice, and the writers took turns
    on the file's commit lock."""
    path = tmp_path / "shared.sqlite3"
    databases = [Database(f"sqlite:///{path}", _Base) for _ in range(2)]
    databases[0].create_all()
    writers = [GroupCommitter(db.engine) for db in databases]
    answered, errors = [], []

    def client(writer: GroupCommitter, name: str) -> None:
        for i in range(40):
            ref = f"{name}-{i}"
            try:
                answered.append(writer.run(lambda conn, ref=ref: conn.execute(ROWS.insert().values(ref=ref))
                                           .inserted_primary_key[0]))
            except Exception as exc:  # noqa: BLE001  (reported below)
                errors.append(exc)

    threads = [threading.Thread(target=client, args=(w, f"w{n}c{c}")) for n, w in enumerate(writers) for c in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for writer in writers:
        writer.stop()
    assert errors == []
    with databases[0].engine.connect() as conn:
        stored = set(conn.scalars(select(ROWS.c.id)))
        assert conn.scalar(select(func.count()).select_from(ROWS)) == 320
    assert sorted(answered) == sorted(stored)
    assert (tmp_path / "shared.sqlite3.commit-lock").exists()
    for db in databases:
        db.dispose()
