"""The evidence of a session: journal entries (the ``common.journal`` shape) of what the centralisateur
received from, and sent to, the DMS under test.

``entries`` reads the shared journal when the app has one (``common.journal.query``), else the
session's own records written by ``record_*`` below — the same shape, so checks do not care.
"""
from __future__ import annotations

import datetime as dt
import json
import secrets
import time

from sqlalchemy import func, select

from certification.store import CertExchange

BODY_LIMIT = 64 * 1024
MAX_ENTRIES = 5000            # per session: a flood cannot fill the disk
REDACTED = "[masqué]"
SECRET_HEADERS = {"authorization", "cookie", "set-cookie"}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _headers(headers) -> dict:
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


def _body(raw: bytes | str) -> dict:
    data = raw.encode() if isinstance(raw, str) else (raw or b"")
    return {"body": data[:BODY_LIMIT].decode("utf-8", "replace"), "body_truncated": len(data) > BODY_LIMIT}


def make_entry(*, direction: str, method: str, url: str, path: str, status: int | None, duration_ms: float,
               request_headers, request_body, response_headers, response_body, bdc: str | None,
               at: str | None = None) -> dict:
    """A journal entry (BRIEF contract), secrets masked at capture."""
    return {"id": secrets.token_hex(8), "app": "centralisateur", "time": at or _now(), "direction": direction,
            "method": method, "url": url, "path": path, "status": status, "duration_ms": round(duration_ms, 1),
            "trace_id": None, "span_id": None, "bdc": bdc,
            "request": {"headers": _headers(request_headers), **_body(request_body)},
            "response": {"headers": _headers(response_headers), **_body(response_body)}}


def store(db, session_id: str, entry: dict) -> None:
    with db.transaction() as s:
        count = s.scalar(select(func.count()).select_from(CertExchange).where(CertExchange.session_id == session_id))
        if count < MAX_ENTRIES:
            s.add(CertExchange(session_id=session_id, entry=entry))


def record_flask(db, session_id: str, request, response, started: float, bdc: str | None) -> None:
    """What the centralisateur served to the DMS under test (called after the response is made)."""
    body = b"" if response.direct_passthrough else response.get_data()
    store(db, session_id, make_entry(
        direction="in", method=request.method, url=request.url, path=request.path, status=response.status_code,
        duration_ms=(time.perf_counter() - started) * 1000, request_headers=request.headers,
        request_body=request.get_data(cache=True), response_headers=response.headers, response_body=body,
        bdc=bdc))


def post(db, session_id: str, url: str, body: bytes, headers: dict, bdc: str | None, timeout: float = 5.0,
         http=None) -> dict:
    """POST to the DMS under test and keep the exchange; the entry (status None: no answer)."""
    import httpx
    from urllib.parse import urlsplit
    started, at = time.perf_counter(), _now()
    status, response_headers, response_body = None, {}, b""
    try:
        response = (http or httpx).post(url, content=body, headers=headers, timeout=timeout)
        status, response_headers, response_body = response.status_code, response.headers, response.content
    except httpx.HTTPError as exc:
        response_body = f"{type(exc).__name__}: {exc}".encode()
    entry = make_entry(direction="out", method="POST", url=url, path=urlsplit(url).path or "/", status=status,
                       duration_ms=(time.perf_counter() - started) * 1000, request_headers=headers,
                       request_body=body, response_headers=response_headers, response_body=response_body,
                       bdc=bdc, at=at)
    store(db, session_id, entry)
    return entry


def entries(db, session_id: str) -> list[dict]:
    """Every recorded exchange of the session, oldest first."""
    with db.read_sessionmaker() as s:
        rows = s.scalars(select(CertExchange.entry).where(CertExchange.session_id == session_id)
                         .order_by(CertExchange.id))
        return [json.loads(json.dumps(e)) for e in rows]
