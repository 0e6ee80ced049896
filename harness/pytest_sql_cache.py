"""pytest plugin: the SQLite engines a test process creates (``common.db``) share one dialect and one
compiled-statement cache, so the SQL of a query is compiled once per process instead of once per app.

The suites create an app — two engines — per test, and SQLAlchemy keys its compiled statements by
engine and dialect: every test compiled again each statement its requests ran (a fifth of the CPU of
the per-test app suites). One pysqlite dialect, configured as ``create_engine`` configures every one
of them (``common.db`` passes it no dialect option), is initialised once on an in-memory database
and given to each new SQLite engine; each engine keeps its own pool, connections, database file and
event listeners. A server database (PostgreSQL) keeps its engines as they are. ``up`` and ``serve``
never load this plugin: each of their apps builds its engines once.
"""
from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.util import LRUCache

from common import db

# ~20 apps' statements (SQLAlchemy's default per engine is 500)
_CACHE = LRUCache(10_000)
_dialect = None


def _shared_engine(url, **kwargs):
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite" and engine.dialect.driver == "pysqlite":
        global _dialect
        if _dialect is None:
            probe = create_engine("sqlite://")
            with probe.connect():  # runs the dialect's initialize() once
                pass
            probe.dispose()
            _dialect = probe.dialect
        engine.dialect = engine.pool._dialect = _dialect
        engine._compiled_cache = _CACHE
    return engine


def pytest_configure(config):
    db.create_engine = _shared_engine
