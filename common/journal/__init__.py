"""Cross-hop request journal: every exchange an app serves or makes, traced (W3C Trace Context),
redacted before it is written (by the journal's writer thread), stored in the app's own database,
readable at ``GET /__admin/journal``.

    journal.install(app)                       # done by common.web.make_app for every app
    with journal.http_client(app) as http:     # outgoing calls: traceparent sent, exchange recorded
        http.post(url, json=body)
    journal.query("centralisateur", bdc="SP…", trace=None, since=None, limit=None)

Entry (dict): ``id, app, time (RFC 3339 UTC), direction (in|out), method, url, path, status,
duration_ms, trace_id, span_id, bdc, request {headers, body, body_truncated}, response {…}``.
"""
from __future__ import annotations

import datetime as dt
import os

from common.journal.context import TraceContext, current, join, using
from common.journal.redact import BODY_LIMIT
from common.journal.registry import UNBOUND, Journal, bind_lookup, binding_of, journal_of, register

__all__ = ["BODY_LIMIT", "Journal", "JournalClient", "TraceContext", "UNBOUND", "bind_lookup", "binding_of", "current",
           "http_client", "erase", "install", "join", "journal_of", "query", "trace_for_bdc", "using"]


def http_client(app=None, *, bdc: str | None = None, **kwargs):
    """An ``httpx.Client`` for calling another app (``common.journal.client.http_client``), httpx
    imported at the first outgoing call rather than when every app starts."""
    from common.journal.client import http_client as journalled
    return journalled(app, bdc=bdc, **kwargs)


def __getattr__(name: str):
    if name == "JournalClient":  # an httpx.Client subclass: httpx at first use, as for http_client
        from common.journal.client import JournalClient
        return JournalClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def install(app) -> Journal:
    """Journal ``app``: capture middleware, ``/__admin/journal``, storage once its database exists
    (``common.db.Database.init_app`` attaches it)."""
    from common.journal import admin
    from common.journal.capture import JournalMiddleware
    name = app.import_name.rsplit(".", 1)[-1]
    journal = Journal(name, app.config)
    app.extensions["journal"] = journal
    register(journal)
    app.wsgi_app = JournalMiddleware(app.wsgi_app, journal)
    app.register_blueprint(admin.bp)
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):  # the OpenTelemetry SDK is imported only then
        from common.journal import otel
        otel.install(journal)
    return journal


def query(app_or_name, bdc: str | None = None, trace: str | None = None,
          since: dt.datetime | str | None = None, limit: int | None = None,
          header: tuple[str, str] | None = None) -> list[dict]:
    """Entries of one app's journal (a Flask app or an app name in this process), oldest first.

    ``bdc`` keeps the entries of every trace that carried this numéro de BDC; ``since`` is a datetime
    (naive = UTC) or an RFC 3339 string; ``limit`` keeps the newest ones (at most 5,000); ``header``
    ``(name, value)`` keeps the exchanges the app marked with that header (on its answer to a request
    it served, on a request it made: a certification session's mark), filtered by the database."""
    journal = journal_of(app_or_name)
    if journal is None:
        raise LookupError(f"aucun journal pour {app_or_name!r}")
    if isinstance(since, str):
        from common.journal.admin import parse_since
        since = parse_since(since)
    elif since is not None and since.tzinfo is not None:
        since = since.astimezone(dt.UTC).replace(tzinfo=None)
    return journal.query(bdc=bdc, trace=trace, since=since, limit=limit, header=header)


def erase(app_or_name, values, **together) -> int:
    """Delete one person's entries (RGPD erasure): those holding any of ``values``, and as
    ``JournalStore.erase`` says, ``names`` with ``companions``, the traces of ``bdcs``; the number deleted."""
    journal = journal_of(app_or_name)
    if journal is None:
        return 0
    journal.flush()
    return journal.store.erase(values, **together)


def trace_for_bdc(app_or_name, bdc: str) -> str | None:
    """The trace id a declaration started with in this app's journal (None if unknown)."""
    journal = journal_of(app_or_name)
    bound = journal.trace_for_bdc(bdc) if journal else None
    return bound[0] if bound else None
