"""Outgoing calls between apps: an ``httpx.Client`` that sends the trace and journals the exchange."""
from __future__ import annotations

import datetime as dt
import logging
import time
from itertools import chain

import httpx

from common.journal import context, redact
from common.journal.capture import find_bdc
from common.journal.store import Later
from spoticar_handoff.tls import tls_context

log = logging.getLogger("spoticar.journal")


class JournalClient(httpx.Client):
    """An ``httpx.Client`` whose every request carries ``traceparent`` (``tracestate`` when known) and
    is recorded as an ``out`` entry of its app's journal — failures (no answer) included."""

    def __init__(self, *args, journal=None, bdc: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._journal = journal
        self._bdc = bdc

    def _context(self) -> context.TraceContext:
        ctx = context.current()
        if ctx is not None:
            return ctx
        trace = self._journal.trace_for_bdc(self._bdc) if self._journal and self._bdc else None
        fresh = context.new_context()
        return fresh.adopt(trace) if trace else fresh

    def send(self, request: httpx.Request, **kwargs) -> httpx.Response:  # noqa: D102
        ctx = self._context()
        span = context.new_span_id()
        explicit = request.headers.get("traceparent")
        if explicit:  # set by the caller (a test, a relay): sent as is, recorded under its trace
            ctx = context.from_headers(explicit, request.headers.get("tracestate"))
            span = explicit.split("-")[2] if ctx.from_caller else span
        else:
            request.headers.update(ctx.headers(span))
        wall, started = dt.datetime.now(dt.UTC).replace(tzinfo=None), time.perf_counter()
        response = None
        try:
            response = super().send(request, **kwargs)
            return response
        finally:
            if self._journal is not None and self._journal.enabled:
                try:
                    self._record(request, response, ctx, span, wall, started)
                except Exception:
                    log.exception("journal : appel sortant non enregistré")

    def _record(self, request: httpx.Request, response: httpx.Response | None, ctx, span, wall, started):
        """The numéro de BDC now (for the binding), the rest of the entry redacted by the writer."""
        journal, limit = self._journal, self._journal.body_limit
        elapsed = (time.perf_counter() - started) * 1000
        req_raw = request.content if hasattr(request, "_content") else b""
        req_type = request.headers.get("content-type")
        req_headers = request.headers.multi_items()
        res_raw, res_type, res_headers, status, location, kept = b"", None, [], None, None, False
        if response is not None:
            status = response.status_code
            res_headers = response.headers.multi_items()
            res_type, location = response.headers.get("content-type"), response.headers.get("location")
            if response.is_stream_consumed or hasattr(response, "_content"):
                kept = True
                res_raw = response.content if hasattr(response, "_content") else b""
        url = redact.url(redact.decode(str(request.url).encode()))
        path = redact.url(request.url.path)
        bdc = self._bdc or find_bdc(url, location, *(raw[:limit] for raw, kind in ((req_raw, req_type), (res_raw, res_type))
                                                     if raw and redact.is_text(kind)))
        fields = {"time": wall, "direction": "out", "method": request.method, "url": redact.cut(url),
                  "path": redact.cut(path),
                  "status": status, "duration_ms": round(elapsed, 2), "trace_id": ctx.trace_id, "span_id": span,
                  "tracestate": ctx.tracestate, "bdc": bdc}

        # what the entry keeps of the bodies (a contract's PDF waits for the writer as 16 KiB, not whole)
        journal.record_later(Later(fields, tuple(chain.from_iterable(req_headers)), req_raw[:limit + 1], req_type,
                                   len(req_raw), tuple(chain.from_iterable(res_headers)), res_raw[:limit + 1],
                                   res_type, len(res_raw), kept))


def http_client(app=None, *, bdc: str | None = None, **kwargs) -> httpx.Client:
    """An ``httpx.Client`` (same keyword arguments) for calling another app.

    ``app`` is the Flask app whose journal records the calls (default: the current app, if any);
    ``bdc`` names the declaration a background job works on, so its calls join that declaration's
    trace when no request is under way."""
    from common.journal.registry import journal_of
    kwargs.setdefault("verify", tls_context())
    return JournalClient(journal=journal_of(app), bdc=bdc, **kwargs)
