"""Every thread of an app's server can hold its request's session and open a second one beside it at
the same moment (``common.db``'s pool against ``common.serve.THREADS``): SQLAlchemy's default 5 + 10
connections let 16 such requests hold all 15 and wait 30 s for the one no request would give back
(a certification session's page reads the state its judge saved beside its own session)."""
from __future__ import annotations

import concurrent.futures as cf
import threading

import httpx
import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.orm import DeclarativeBase

from common.db import Database
from common.serve import THREADS, AppServer


class _Base(DeclarativeBase):
    pass


def _app(tmp_path, threads: int) -> Flask:
    app = Flask("pool")
    db = Database(f"sqlite:///{tmp_path / 'pool.sqlite3'}", _Base)
    db.init_app(app)
    together = threading.Barrier(threads, timeout=10)  # every thread holds its session at once

    @app.get("/two")
    def two():
        db.session.execute(text("SELECT 1"))  # the request's own session, held until teardown
        together.wait()
        with db.read_sessionmaker() as beside:
            beside.execute(text("SELECT 2"))
        with db.transaction() as write:
            write.execute(text("SELECT 3"))
        return "ok"

    app.db = db
    return app


@pytest.mark.parametrize("threads", [THREADS, 40], ids=["harness-server", "serve-threads-40"])
def test_every_server_thread_gets_a_second_connection_while_holding_its_own(tmp_path, threads):
    app = _app(tmp_path, threads)
    with AppServer.bind("127.0.0.1", 0, threads).mount(app) as server, cf.ThreadPoolExecutor(threads) as pool:
        def ask(_):
            with httpx.Client(base_url=server.url, timeout=30) as client:
                return client.get("/two")
        answers = list(pool.map(ask, range(threads)))
    app.db.dispose()
    assert [(a.status_code, a.text) for a in answers] == [(200, "ok")] * threads
