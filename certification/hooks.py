"""Where certification meets the hand-off API and the callbacks: a session key stands for its DMS
but only for its own certification dealer; dealers' keys never reach a certification dealer; what
the centralisateur sees for a session is kept as evidence and moves the session on."""
from __future__ import annotations

import logging
import threading
import time

from flask import current_app, g, request

from certification import sessions
from certification.store import CertSession
from common.web import error_response

log = logging.getLogger(__name__)
RATE_PER_SECOND = 20.0       # config CERTIFICATION_RATE_PER_SECOND; bursts of three seconds' worth
_buckets: dict[str, tuple[float, float]] = {}
_bucket_lock = threading.Lock()
_dirty: dict[str, bool] = {}  # session id → more evidence since the running judge started


def authenticate(key: str | None) -> CertSession | None:
    """The session a key opens (None for any other key); remembers it on ``g`` for this request."""
    session = sessions.by_key(current_app.extensions["db"], key)
    if session is not None:
        g.cert_session = session
    return session


def throttled() -> object | None:
    """A flood from one session gets a French 429 (token bucket per session), never a 500."""
    session = g.get("cert_session")
    if session is None:
        return None
    rate = float(current_app.config.get("CERTIFICATION_RATE_PER_SECOND", RATE_PER_SECOND))
    now = time.monotonic()
    with _bucket_lock:
        tokens, last = _buckets.get(session.id, (3 * rate, now))
        tokens = min(3 * rate, tokens + (now - last) * rate)
        if tokens < 1:
            _buckets[session.id] = (tokens, now)
            response = error_response(429, "Trop de requêtes pour cette session de certification : "
                                           f"ralentissez (au plus {rate:g} par seconde).")
            response[0].headers["Retry-After"] = "1"
            return response
        _buckets[session.id] = (tokens - 1, now)
    return None


def finished_refusal() -> object | None:
    """A hand-off with the key of a finished session: a French 403 (it would be stored as any sale and
    answered 201, though nothing after a session's end is evidence); None otherwise. Reads stay open."""
    session = g.get("cert_session")
    if session is None or request.method != "POST" or request.path != "/api/v1/handoffs":
        return None
    if not sessions.finished(session.state or {}):
        return None
    return error_response(403, f"La session de certification {session.id} est terminée : sa clé ne transmet plus "
                               "de ventes (ce qui suit la fin d'une session n'en est pas une preuve). Ouvrez une "
                               "nouvelle session pour certifier à nouveau.")


def dealer_refusal(rrdi: str, reserved: bool):
    """A 403 when this key may not declare for dealer ``rrdi`` (None when it may); ``reserved``:
    whether a certification session holds that dealer (the hand-off reads it in its write transaction)."""
    session = g.get("cert_session")
    if session is not None and rrdi != session.dealer_rrdi:
        return error_response(403, f"Cette clé de session de certification ne déclare que pour le point de vente "
                                   f"de certification {session.dealer_rrdi}.", "dealer.rrdi")
    if session is None and reserved:
        return error_response(403, f"Le point de vente {rrdi} est réservé à une session de certification : "
                                   "envoyez la clé d'API de la session (Authorization: Bearer cs-…), pas celle "
                                   "du DMS.", "dealer.rrdi")
    return None


def may_read(dealer_rrdi: str) -> bool:
    """A session reads its own dealer's declarations only; a dealer's key none of a session's."""
    session = g.get("cert_session")
    if session is not None:
        return dealer_rrdi == session.dealer_rrdi
    return not sessions.dealer_reserved(current_app.extensions["db"], dealer_rrdi)


def callback_url(payload_url: str | None) -> str | None:
    session = g.get("cert_session")
    return payload_url or (session.callback_url if session is not None else None)


def finish(response):
    """After an answer to a session's DMS or browser: tag it (the journal keeps it as the session's
    evidence), set what the scenario needs, judge what can be judged."""
    session = g.get("cert_session")
    if session is None:
        return response
    response.headers["X-Spoticar-Certification-Session"] = session.id
    try:
        if response.status_code != 429:  # a flood is answered, not judged
            app = current_app._get_current_object()
            if request.path == "/api/v1/handoffs" and response.status_code in (200, 201):
                # an outage the scenario needs must be in place before the dealer declares
                vin = ((request.get_json(silent=True) or {}).get("vehicle") or {}).get("vin")
                from certification import actions  # httpx: at a session's first hand-off
                actions.on_handoff_accepted(app, session.id, vin)
            judge_later(app, session.id)
    except Exception:  # the evidence never fails the DMS's request
        log.exception("certification : échec d'enregistrement pour %s", session.id)
    return response


def judging(session_id: str) -> bool:
    """Whether a judging of the session runs or waits in this process (it takes the newest evidence)."""
    with _bucket_lock:
        return session_id in _dirty


def judge_later(app, session_id: str) -> None:
    """Judge the session off the request (a probe sent back to the DMS while it waits for our answer
    could deadlock it); one judge per session at a time, running again while evidence keeps coming."""
    with _bucket_lock:
        running = session_id in _dirty
        _dirty[session_id] = True
    if not running:
        threading.Thread(target=_judge, args=(app, session_id), daemon=True).start()


def _judge(app, session_id: str) -> None:
    while True:
        with _bucket_lock:
            if not _dirty.get(session_id):
                _dirty.pop(session_id, None)
                return
            _dirty[session_id] = False
        try:
            sessions.advance(app, session_id, settle=2.0)   # off any request: waits for them all
        except Exception:
            log.exception("certification : échec du passage de la session %s", session_id)


def record_page(declaration) -> None:
    """The browser opened the declaration link of a session's hand-off (checked by the plan)."""
    session = sessions.by_dealer(current_app.extensions["db"], declaration.dealer_rrdi)
    if session is not None:
        g.cert_session = session


def signing_key(app, declaration) -> str | None:
    """The key a session's callbacks are signed with: the session key its DMS knows."""
    with app.extensions["db"].read_sessionmaker() as s:
        from sqlalchemy import select
        return s.scalar(select(CertSession.signing_key).where(CertSession.dealer_rrdi == declaration.dealer_rrdi))


def session_id_for(app, dealer_rrdi: str) -> str | None:
    with app.extensions["db"].read_sessionmaker() as s:
        from sqlalchemy import select
        return s.scalar(select(CertSession.id).where(CertSession.dealer_rrdi == dealer_rrdi))
