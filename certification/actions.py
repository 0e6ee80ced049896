"""What a session does itself while a scenario runs: test callbacks sent to the DMS under test
(signed, badly signed, replayed, stale, duplicated) and an Icare outage through Icare's fault switch.
Every exchange is kept as evidence; what each test callback tests is kept by the session, not sent."""
from __future__ import annotations

import datetime as dt
import json
import secrets
import time

import httpx
from flask import Flask
from sqlalchemy import select

from certification import evidence, exchanges as ex
from certification.store import CertSession
from centralisateur.store import Declaration
from spoticar_handoff import sign_callback

STALE_SECONDS = 3600
SIGNED_PROBES = 3   # correctly signed test callbacks, and as many badly signed ones


def time_now() -> str:
    """Now, RFC 3339 UTC (as the session's state keeps times)."""
    return dt.datetime.now(dt.timezone.utc).isoformat()

PROBE_TIMEOUT = 5.0
PENDING_WAIT_SECONDS = 15.0   # a callback's timeout (5 s) and a margin for a busy machine


def signed_headers(body: bytes, key: str, timestamp: int, delivery_id: str) -> dict:
    """The callback headers the centralisateur sends: signature, timestamp, delivery id.
    Signed the way ``centralisateur.declaring.deliver_callback`` signs, so a probe is a real callback."""
    return {"Content-Type": "application/json", **sign_callback(body, key, delivery_id, timestamp=timestamp)}


def _probe(app: Flask, session: CertSession, scenario_id: str, kind: str, url: str, body: bytes,
           headers: dict, bdc: str | None) -> dict:
    """Send a test callback. What it tests (``kind``) is kept by the session, never sent: a DMS reading it
    off a header answered each probe as expected without checking any signature."""
    from common.egress import callback_origins
    evidence.record_probe(app, session.id, headers, kind, scenario_id)
    return evidence.post(app, session.id, url, body, headers, bdc, timeout=PROBE_TIMEOUT,
                         allowed_origins=callback_origins(app.config, session.dms), probe=True)


def _target(session: CertSession, entries: list[dict]) -> tuple[str | None, str | None]:
    """Which bon de commande test callbacks are about (the session's last accepted hand-off) and where
    to send them: where the centralisateur sends that hand-off's own callbacks (``hooks.callback_url``:
    the ``callback_url`` the DMS sent, else the session's), so a probe lands where a real callback does."""
    url, bdc = session.callback_url, None
    for entry in ex.ordered(entries):
        if ex.is_handoff(entry) and ex.accepted(entry):
            bdc = ex.bdc_of(entry) or bdc
            url = ex.dig(ex.body_json(entry["request"]), "callback_url") or session.callback_url or url
    return url, bdc


def _callback_url(app: Flask, bdc: str | None) -> str | None:
    """Where the centralisateur calls back that bon de commande, as it stored it: the journal masks a
    credential in a URL's query (``?token=…``), and a DMS checking it refused the session's callbacks
    sent to the masked copy."""
    if not bdc:
        return None
    with app.extensions["db"].read_sessionmaker() as s:
        return s.scalar(select(Declaration.callback_url).where(Declaration.bdc_number == bdc))


def _state_body(app: Flask, bdc: str) -> bytes:
    from centralisateur.api import state
    with app.extensions["db"].read_sessionmaker() as s:
        declaration = s.scalar(select(Declaration).where(Declaration.bdc_number == bdc))
        return json.dumps(state(declaration).model_dump(mode="json")).encode()


def _no_target(session: CertSession, url: str | None, bdc: str | None) -> str:
    """Why the test callbacks cannot be sent, as it is: no bon de commande, no callback address, or both."""
    if url and not bdc:
        where = ("l'adresse de rappel de la session (--callback-url)" if session.callback_url
                 else "l'adresse de rappel reçue")
        return (f"aucune transmission acceptée dans la session : les rappels de test portent sur un bon de "
                f"commande de la session et sont envoyés à {where}. Transmettez d'abord une vente.")
    if bdc and not url:
        return ("aucune adresse de rappel connue : la session a été ouverte sans --callback-url et aucune vente "
                "transmise ne porte de callback_url. Envoyez une vente avec callback_url ou ouvrez la session "
                "avec --callback-url.")
    return ("aucune adresse de rappel (callback_url) ni bon de commande connus dans la session : envoyez une "
            "vente avec callback_url" + ("." if session.callback_url else " ou ouvrez la session avec --callback-url."))


def signature_probes(app: Flask, session: CertSession, scenario_id: str, entries: list[dict]) -> str:
    """Correctly and badly signed callbacks (``SIGNED_PROBES`` of each, alike but for the signature) and a
    stale one, in an order drawn at random, the first correct one replayed right after it: a DMS that
    answers by position (the first new deliveries accepted, the next refused) without computing the
    signature cannot pass, as it could when the order was always the same."""
    url, bdc = _target(session, entries)
    url = _callback_url(app, bdc) or url
    if not url or not bdc:
        return "skipped: " + _no_target(session, url, bdc)
    key, body, now = session.signing_key, _state_body(app, bdc), int(time.time())
    kinds = ["valid"] * SIGNED_PROBES + ["bad-signature"] * SIGNED_PROBES + ["stale"]
    secrets.SystemRandom().shuffle(kinds)
    replayed = False
    for kind in kinds:
        signer, stamp = (key, now) if kind == "valid" else \
            ("cle-inconnue-" + secrets.token_hex(8), now) if kind == "bad-signature" else (key, now - STALE_SECONDS)
        headers = signed_headers(body, signer, stamp, secrets.token_hex(16))
        _probe(app, session, scenario_id, kind, url, body, headers, bdc)
        if kind == "valid" and not replayed:
            _probe(app, session, scenario_id, "replay", url, body, headers, bdc)
            replayed = True
    return "sent"


def icare_outage(app: Flask, session: CertSession) -> str:
    """The next Icare contract-API call about the session's dealer fails (503): the declaration goes
    "contract pending" and the worker creates the contract on its next attempt. Scoped to the dealer,
    so sessions running at once on one centralisateur never take each other's outage."""
    icare = (app.config.get("URLS") or {}).get("icare")
    if not icare:
        return "skipped: Icare n'est pas configuré pour ce centralisateur."
    from common.journal import http_client
    from common.testing import test_routes_headers
    url = icare.rstrip("/") + "/admin/faults"
    try:
        with http_client(app, timeout=5) as http:
            status = http.put(url, json={"error_status": 503, "count": 1, "rrdi": session.dealer_rrdi},
                              headers=evidence.tag(test_routes_headers(app.config), session.id)).status_code
    except httpx.HTTPError:
        status = None
    if status != 200:
        return f"skipped: la panne d'Icare n'a pas pu être simulée (/admin/faults : {status or 'pas de réponse'})."
    return "injected"


def retry(app: Flask, session: CertSession, scenario_id: str, callback: dict, kind: str) -> None:
    """A callback the DMS already received, delivered again as the centralisateur's retry does when an
    answer is lost: same body, same ``X-Spoticar-Delivery``, fresh timestamp and signature (so a DMS
    that only refuses a byte-for-byte replay still sees it as new)."""
    body = callback["request"]["body"].encode()
    delivery = ex.header(callback["request"], "X-Spoticar-Delivery") or secrets.token_hex(16)
    sent_at = str(ex.header(callback["request"], "X-Spoticar-Timestamp") or "0")
    sent_at = int(sent_at) if sent_at.isdigit() else 0
    # timestamps count whole seconds: a retry within the original's second would carry the very same
    # signature, and a DMS telling deliveries apart by signature would pass for one that does it right
    while (now := int(time.time())) <= sent_at:
        time.sleep(max(0.01, now + 1 - time.time()))
    headers = signed_headers(body, session.signing_key, now, delivery)
    url = _callback_url(app, ex.bdc_of(callback)) or callback["url"]
    _probe(app, session, scenario_id, kind, url, body, headers, ex.bdc_of(callback))


def duplicate(app: Flask, session: CertSession, scenario_id: str, declared: dict, pending: dict | None) -> str:
    """The acknowledged "declared" delivery again, then the earlier "contract pending" delivery again,
    late: a DMS applying each delivery once keeps the order declared with its contract."""
    retry(app, session, scenario_id, declared, "duplicate")
    if pending is not None:
        retry(app, session, scenario_id, pending, "late-retry")
    return "sent"


def _pending_under_way(app: Flask, declared: dict) -> bool:
    """Whether the "contract pending" callback of the declaration ``declared`` is about was sent but
    its exchange is not in the evidence yet: its first Icare attempt failed, and the centralisateur
    retries only once that callback is taken (``declaring._claim_retry``) — by another worker, maybe,
    still delivering it. Waited for (no duplicate sent without it: the late resend of that callback
    is what catches a DMS applying a delivery twice) up to the callback's timeout and a margin."""
    waited = (dt.datetime.now(dt.timezone.utc) - ex.when(declared)).total_seconds()
    if waited > PENDING_WAIT_SECONDS:
        return False
    with app.extensions["db"].read_sessionmaker() as s:
        attempts = s.scalar(select(Declaration.icare_attempts).where(Declaration.bdc_number == ex.bdc_of(declared)))
    return (attempts or 0) > 1


def on_handoff_accepted(app: Flask, session_id: str, vin: str | None) -> None:
    """A hand-off of the session was just accepted: if it is the sale of a scenario that needs Icare
    down, make Icare fail now, before the dealer declares it."""
    from certification import plans, sessions
    with sessions.lock(session_id):
        with app.extensions["db"].read_sessionmaker() as s:
            session = s.get(CertSession, session_id)
        plan = plans.load(session.plan_version)
        wanted = plans.vin_index(sessions.sales(plan, session)).get(str(vin or "").replace(" ", "").upper())
        done = session.state.setdefault("actions", {})
        if wanted is None or plans.scenario(plan, wanted).get("action") != "icare_outage" or "icare_outage" in done:
            return
        if str(done.get("icare_dealer", "")).startswith("skipped"):
            done["icare_outage"] = done["icare_dealer"]
        else:
            done["icare_outage"] = icare_outage(app, session)
        sessions.save_state(app, session_id, session.state)


def due(plan: dict, state: dict) -> bool:
    """Whether the current scenario may still have something for the session to send the DMS (test
    callbacks, callbacks sent again): a judging with ``probes`` does it, off any request."""
    current = state.get("current")
    if not current or state.get("observing_until"):
        return False
    action = next((s.get("action") for s in plan["scenarios"] if s["id"] == current), None)
    done = state.get("actions") or {}
    return (action == "signature_probes" and action not in done) or \
        (action == "icare_outage" and "duplicate" not in done)


def run(app: Flask, session: CertSession, plan: dict, current: str, found: dict, entries: list[dict],
        probes: bool = True) -> bool:
    """Do what the current scenario needs now; True when something was sent (judge again). Without
    ``probes`` only the Icare outage is set (it must be in place before the dealer declares)."""
    scenario = next(s for s in plan["scenarios"] if s["id"] == current)
    done = session.state.setdefault("actions", {})
    mine = found.get(current, [])
    if scenario.get("action") == "signature_probes" and "signature_probes" not in done and probes:
        done["signature_probes"] = signature_probes(app, session, current, entries)
        return True
    if scenario.get("action") == "icare_outage":
        if "icare_outage" not in done:
            if str(done.get("icare_dealer", "")).startswith("skipped"):
                done["icare_outage"] = done["icare_dealer"]
                return True
            if any(ex.is_handoff(e) and ex.accepted(e) for e in mine):
                done["icare_outage"] = icare_outage(app, session)
                return True
        callbacks = [e for e in ex.ordered(mine) if ex.is_callback(e)]
        acked = [e for e in callbacks if 200 <= (e.get("status") or 0) < 300
                 and (ex.body_json(e["request"]) or {}).get("status") == "declared"]
        pending = [e for e in callbacks if (ex.body_json(e["request"]) or {}).get("status") == "contract_pending"]
        if acked and "duplicate" not in done and probes and (pending or not _pending_under_way(app, acked[0])):
            done["duplicate"] = duplicate(app, session, current, acked[0], pending[0] if pending else None)
            done["readback_asked_at"] = time_now()  # the DMS's next step gets a full wait of its own
            return True
    return False
