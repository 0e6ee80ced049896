"""The evidence of a session: the entries of the centralisateur's request journal (``common.journal``)
that belong to it — every exchange with the DMS under test carries the session's header
(``X-Spoticar-Certification-Session``: set on the API's answers to the session key, on the
declaration pages of its dealer, and on what the session sends: callbacks, probes, the Icare outage).

Each time the session is judged, its new exchanges are copied into the certification store
(``CertExchange``, SQLite or PostgreSQL): reports and the attestation read that record first, so a
finished session's evidence outlives the journal's retention (count, age) or the journal switched off.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from certification import exchanges as ex
from certification.store import CertExchange, CertProbe, CertSession

MAX_ENTRIES = 5000      # the journal's own bound: the newest exchanges since the session opened


def tag(headers: dict, session_id: str) -> dict:
    """``headers`` with the session's mark, so the journal entry can be found again."""
    return {**headers, ex.SESSION_HEADER: session_id}


def post(app, session_id: str, url: str, body: bytes, headers: dict, bdc: str | None, timeout: float = 5.0,
         allowed_origins=(), probe: bool = False) -> dict:
    """POST to the DMS under test through the journal's client (so the exchange is journalled);
    ``{"status": None}`` for no answer, or an address the SSRF guard refuses (checked at call time:
    DNS may have changed). ``probe``: a test callback (recorded first by ``actions``), not a callback of
    the session's declaration."""
    import httpx

    from common.egress import UrlRefused, check_url, guarded_transport
    from common.journal import http_client
    try:
        check_url(url, allowed_origins)
        with http_client(app, bdc=bdc, timeout=timeout, transport=guarded_transport(allowed_origins)) as http:
            answer = {"status": http.post(url, content=body, headers=tag(headers, session_id)).status_code}
    except (UrlRefused, httpx.HTTPError) as exc:
        answer = {"status": None, "error": getattr(exc, "message", None) or type(exc).__name__}
    if not probe:
        # a callback of the session's declaration: judge now (what the scenario sends next, e.g. the
        # callbacks sent again, need not wait for the DMS's next request)
        from certification.hooks import judge_later
        judge_later(app, session_id)
    return answer


def settle(app, timeout: float = 2.0) -> None:
    """Wait until the requests under way on the centralisateur are in its journal (a request that
    triggered a judging is recorded only once answered). Called with no session lock held: a request
    waiting for that lock is itself under way, and would hold the wait up to its end."""
    from common.journal import journal_of
    journal = journal_of(app)
    if journal is not None and journal.enabled:
        journal.flush(timeout=timeout)


def journalled(app, session_id: str, since: dt.datetime, *, settled: bool = False) -> list[dict]:
    """The session's exchanges still in the journal (none when it is off), ids as strings;
    ``settled``: the caller already waited for the requests under way (``settle``)."""
    from common.journal import journal_of, query
    journal = journal_of(app)
    if journal is None or not journal.enabled:
        return []
    since = since - dt.timedelta(seconds=1)
    # the session's mark, set by the centralisateur itself (the same header sent by the DMS proves
    # nothing): looked for by the journal's database, not in every exchange since the session opened
    mark = (ex.SESSION_HEADER, session_id)
    if settled:
        # read the store as it is: ``query`` would wait again for the requests under way, and the
        # caller may hold the session's lock, which some of them wait for (each judging then stalled
        # for the whole wait, seconds, as soon as several sessions or readers were busy at once)
        if since.tzinfo is not None:
            since = since.astimezone(dt.timezone.utc).replace(tzinfo=None)
        rows = journal.store.query(since=since, limit=MAX_ENTRIES, header=mark)
    else:
        settle(app)
        rows = query(app, since=since, limit=MAX_ENTRIES, header=mark)
    return [{**e, "id": str(e["id"])} for e in rows]


def record_probe(app, session_id: str, headers: dict, kind: str, scenario_id: str) -> None:
    """A test callback about to be sent (``headers``: its delivery id and timestamp): what it tests, kept
    here, where the evidence finds it (``probes``), not sent to the DMS."""
    with app.extensions["db"].transaction() as s:
        s.add(CertProbe(session_id=session_id, delivery=headers[ex.DELIVERY_HEADER],
                        timestamp=headers[ex.TIMESTAMP_HEADER], kind=kind, scenario=scenario_id))


def probes(app, session_id: str) -> list[tuple[str, str, str, str]]:
    """The session's test callbacks in the order sent: ``(delivery id, timestamp, kind, scenario)``."""
    with app.extensions["db"].read_sessionmaker() as s:
        return [tuple(row) for row in s.execute(
            select(CertProbe.delivery, CertProbe.timestamp, CertProbe.kind, CertProbe.scenario)
            .where(CertProbe.session_id == session_id).order_by(CertProbe.id))]


def shown(app, session_id: str, entries: list[dict]) -> list[dict]:
    """``entries`` as the session's readers get them: until the session is finished, without what its
    test callbacks test (read mid-session, it told the DMS what the callbacks already answered were,
    and so what the next ones would be)."""
    from certification.sessions import finished
    with app.extensions["db"].read_sessionmaker() as s:
        state = s.scalar(select(CertSession.state).where(CertSession.id == session_id)) or {}
    if finished(state):
        return entries
    return [{k: v for k, v in e.items() if k != "certification"} if "certification" in e else e for e in entries]


def kept(app, session_id: str) -> list[dict]:
    """The session's exchanges in the certification store, oldest first."""
    with app.extensions["db"].read_sessionmaker() as s:
        return list(s.scalars(select(CertExchange.entry).where(CertExchange.session_id == session_id)
                              .order_by(CertExchange.time, CertExchange.entry_id)))


def entries(app, session_id: str, since: dt.datetime, *, keep: bool = False,
            until: dt.datetime | None = None, settled: bool = False) -> list[dict]:
    """The session's exchanges, oldest first: the store's record, plus what the journal holds that the
    record does not yet. ``keep``: copy those into the record (the session is being judged), the ones
    up to ``until`` only once the session is finished (later ones are no evidence: the report stops
    at its last verdict). ``settled``: as for ``journalled``."""
    record = {e["id"]: e for e in kept(app, session_id)}
    new = [e for e in journalled(app, session_id, since, settled=settled) if e["id"] not in record]
    every = ex.ordered([*record.values(), *new])
    if new:  # the test callbacks among the new exchanges marked with what they test, before they are kept
        every = ex.annotate(every, probes(app, session_id))
    if keep:
        _keep(app, session_id, [e for e in every if e["id"] not in record and (until is None or ex.when(e) <= until)])
    return every


def _keep(app, session_id: str, new: list[dict]) -> None:
    from sqlalchemy.exc import IntegrityError
    if not new:
        return
    try:
        with app.extensions["db"].transaction() as s:
            known = set(s.scalars(select(CertExchange.entry_id).where(CertExchange.session_id == session_id)))
            s.add_all(CertExchange(session_id=session_id, entry_id=e["id"], time=e["time"], entry=e)
                      for e in new if e["id"] not in known)
    except IntegrityError:
        pass  # another worker judging the same session kept them first: the next judging adds the rest
