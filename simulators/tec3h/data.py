"""This request's database access: ``reads()`` (the request's read session) and ``writing()`` (a
short transaction that commits on success). Never keep either open across an HTTP call."""
from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session


def reads() -> Session:
    return current_app.extensions["db"].session


def writing():
    """``with writing() as tx:`` — committed on success, rolled back on error (SQLite: BEGIN IMMEDIATE)."""
    return current_app.extensions["db"].transaction()


def end_reads() -> None:
    """End this request's read snapshot, so the next read sees what was just written elsewhere."""
    reads().rollback()
