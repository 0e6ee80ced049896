"""The evidence of a session: the entries of the centralisateur's request journal (``common.journal``)
that belong to it — every exchange with the DMS under test carries the session's header
(``X-Spoticar-Certification-Session``: set on the API's answers to the session key, on the
declaration pages of its dealer, and on what the session sends: callbacks, probes, the Icare outage).
"""
from __future__ import annotations

import datetime as dt

from certification import exchanges as ex

MAX_ENTRIES = 5000      # the journal's own bound: the newest exchanges since the session opened


def tag(headers: dict, session_id: str) -> dict:
    """``headers`` with the session's mark, so the journal entry can be found again."""
    return {**headers, ex.SESSION_HEADER: session_id}


def post(app, session_id: str, url: str, body: bytes, headers: dict, bdc: str | None, timeout: float = 5.0,
         allowed_origins=()) -> dict:
    """POST to the DMS under test through the journal's client (so the exchange is journalled);
    ``{"status": None}`` for no answer, or an address the SSRF guard refuses (checked at call time:
    DNS may have changed)."""
    import httpx

    from common.egress import UrlRefused, check_url, guarded_transport
    from common.journal import http_client
    try:
        check_url(url, allowed_origins)
        with http_client(app, bdc=bdc, timeout=timeout, transport=guarded_transport(allowed_origins)) as http:
            return {"status": http.post(url, content=body, headers=tag(headers, session_id)).status_code}
    except (UrlRefused, httpx.HTTPError) as exc:
        return {"status": None, "error": getattr(exc, "message", None) or type(exc).__name__}


def _belongs(entry: dict, session_id: str) -> bool:
    return ex.own_header(entry, ex.SESSION_HEADER) == session_id


def entries(app, session_id: str, since: dt.datetime) -> list[dict]:
    """The session's exchanges, oldest first (ids as strings, as findings cite them)."""
    from common.journal import journal_of, query
    journal = journal_of(app)
    if journal is None:
        return []
    journal.flush(timeout=2.0)
    found = [e for e in query(app, since=since - dt.timedelta(seconds=1), limit=MAX_ENTRIES)
             if _belongs(e, session_id)]
    return [{**e, "id": str(e["id"])} for e in found]
