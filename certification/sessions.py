"""Certification sessions on the centralisateur: provisioning (key, certification dealer, Profil),
who may act for which dealer, and moving through the plan as the DMS's requests arrive."""
from __future__ import annotations

import datetime as dt
import json
import math
import secrets
import string
import threading
import time

from flask import Flask
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm.attributes import flag_modified

from certification import evidence, exchanges as ex, plans
from certification.store import CertSession
from certification.verdicts import FAILED, PASSED, STATUS_LABELS, WAITING, WARNING
from centralisateur.store import Dealer
from common.auth import key_digest

MAX_SESSIONS = 500
DEFAULT_WAIT_SECONDS = 600
# Bounds on opening sessions (each one creates a certification dealer), outside demo mode by default;
# app config, else environment (``common.settings``); 0: no bound.
MAX_OPEN_PER_DMS = 10    # sessions of one DMS open at once: a vendor's team and a test lab, a few each
MAX_PER_CLIENT = 20      # sessions one client (address) opens in 24 h: a CI run a session, with room
OPEN_HOURS = 24          # an unfinished session counts as open for this long after its opening
CLIENT_WINDOW = dt.timedelta(hours=24)
TOO_MANY_OPEN = ("Trop de sessions de certification ouvertes pour le DMS {dms} : au plus {limit} à la fois. "
                 "Terminez-en une (une session abandonnée se termine en ignorant ses scénarios restants : "
                 "bouton « Ignorer ce scénario » de sa page, ou POST …/skip avec sa clé), ou attendez qu'elle "
                 "expire ({hours} h après son ouverture), puis recommencez.")
TOO_MANY_FROM_CLIENT = ("Trop de sessions de certification ouvertes depuis votre adresse : au plus {limit} en "
                        "24 h. Reprenez une session ouverte avec sa clé, ou réessayez plus tard.")


class Refused(ValueError):
    """A session not opened: the French reason, and the HTTP status to answer (422, 429 for a bound)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def bounds(app: Flask) -> dict[str, int]:
    """The bounds on opening sessions: ``CERTIFICATION_MAX_OPEN_PER_DMS``,
    ``CERTIFICATION_MAX_PER_CLIENT``, ``CERTIFICATION_OPEN_HOURS`` (app config, else
    ``SPOTICAR_CERTIFICATION_…``); the two maxima are off (0) in demo mode unless set."""
    from common.settings import setting
    config, demo = app.config, bool(app.config.get("DEMO_MODE"))
    return {"open_per_dms": setting(config, "CERTIFICATION_MAX_OPEN_PER_DMS", "SPOTICAR_CERTIFICATION_MAX_OPEN_PER_DMS",
                                    0 if demo else MAX_OPEN_PER_DMS),
            "per_client": setting(config, "CERTIFICATION_MAX_PER_CLIENT", "SPOTICAR_CERTIFICATION_MAX_PER_CLIENT",
                                  0 if demo else MAX_PER_CLIENT),
            "open_hours": setting(config, "CERTIFICATION_OPEN_HOURS", "SPOTICAR_CERTIFICATION_OPEN_HOURS", OPEN_HOURS)}


def _open_sessions(s, dms: str, hours: int) -> int:
    """How many sessions of ``dms`` are open: unfinished, opened less than ``hours`` ago."""
    since = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(hours=hours)
    states = s.scalars(select(CertSession.state).where(CertSession.dms == dms, CertSession.created_at >= since))
    return sum(1 for state in states if not (state or {}).get("finished_at"))
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()
_judged_at: dict[str, float] = {}     # session id → when this process last judged it (monotonic)


def lock(session_id: str) -> threading.Lock:
    """The lock that serialises the judging of one session in this process."""
    with _locks_guard:
        return _locks.setdefault(session_id, threading.Lock())


def judged_within(session_id: str, seconds: float) -> bool:
    """Whether this process judged the session less than ``seconds`` ago."""
    return time.monotonic() - _judged_at.get(session_id, -seconds) < seconds


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _free_rrdi(s) -> tuple[str, str]:
    """An RRDI starting with "C" and a code T in T9xxxx no dealer uses (certification range)."""
    alphabet = string.digits + string.ascii_uppercase
    while True:
        rrdi = "C" + "".join(secrets.choice(alphabet) for _ in range(6))
        code_t = f"T9{secrets.randbelow(10000):04d}"
        if s.get(Dealer, rrdi) is None and s.scalar(select(Dealer).where(Dealer.code_t == code_t)) is None:
            return rrdi, code_t


VIN_SERIAL = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def _vin_serial(s) -> str:
    """4 VIN characters no other session uses (1.2 million choices)."""
    used = {row.get("vin_serial") for row in s.scalars(select(CertSession.state))}
    while True:
        serial = "".join(secrets.choice(VIN_SERIAL) for _ in range(4))
        if serial not in used:
            return serial


def open_session(app: Flask, dms: str, callback_url: str | None = None, wait_seconds: int | None = None,
                 plan_version: str = plans.CURRENT, *, by_client: bool = False) -> tuple[CertSession, str]:
    """A new session and its key (shown once). Raises ``Refused`` (French) when refused: past a bound
    (``bounds``) nothing is written. ``by_client``: opened by this request's client, whose openings
    are counted (``common.sessions.client_id``: behind a trusted proxy, the client it names)."""
    plans.load(plan_version)
    from common.journal import journal_of
    journal = journal_of(app)
    if journal is None or not journal.enabled:
        raise Refused("Le journal des échanges est désactivé sur ce centralisateur : la certification "
                         "en tire ses preuves (JOURNAL_ENABLED).")
    db = app.extensions["db"]
    key = "cs-" + secrets.token_urlsafe(32)
    limits = bounds(app)
    with db.transaction() as s:  # the app's write lock: two openings at once are counted one after the other
        if s.scalar(select(func.count()).select_from(CertSession)) >= MAX_SESSIONS:
            raise Refused("Nombre maximal de sessions de certification atteint : contactez l'opérateur du CDS.")
        if limits["open_per_dms"] and _open_sessions(s, dms, limits["open_hours"]) >= limits["open_per_dms"]:
            raise Refused(TOO_MANY_OPEN.format(dms=dms, limit=limits["open_per_dms"], hours=limits["open_hours"]),
                          429)
        if by_client and limits["per_client"]:
            from centralisateur.store import LoginAttempt
            from common.sessions import public_form_allowed
            if not public_form_allowed(s, LoginAttempt, "certification", limit=limits["per_client"],
                                       window=CLIENT_WINDOW):
                raise Refused(TOO_MANY_FROM_CLIENT.format(limit=limits["per_client"]), 429)
        rrdi, code_t = _free_rrdi(s)
        session_id = "cs_" + secrets.token_hex(8)
        s.add(Dealer(rrdi=rrdi, name=f"CERTIFICATION {dms.upper()} {session_id[3:9].upper()}",
                     address="Session de certification", postcode="75010", city="PARIS", phone="", email="",
                     code_t=code_t, cirano_id=None, dms=dms, configuration="assurance", profile_configured=True,
                     use_stellantis=True, use_auto=False, use_cirano=False))
        s.flush()
        session = CertSession(id=session_id, dms=dms, key_digest=key_digest(key), signing_key=key,
                              dealer_rrdi=rrdi, callback_url=callback_url, plan_version=plan_version,
                              day=_now().date().isoformat(),
                              wait_seconds=int(wait_seconds or app.config.get("CERTIFICATION_WAIT_SECONDS")
                                               or DEFAULT_WAIT_SECONDS),
                              state={"started": {}, "results": {}, "actions": {}, "vin_serial": _vin_serial(s)})
        s.add(session)
    session.state = {**session.state, "actions": {"icare_dealer": _icare_convention(app, rrdi, code_t, session)}}
    save_state(app, session.id, session.state)
    return session, key


def _icare_convention(app: Flask, rrdi: str, code_t: str, session: CertSession) -> str:
    """Put the certification dealer under convention at Icare (its test routes); the reason if not."""
    icare = (app.config.get("URLS") or {}).get("icare")
    if not icare:
        return "skipped: Icare n'est pas configuré pour ce centralisateur."
    import httpx  # the checks, httpx and pydantic: loaded by the first session, not when the app starts

    from common.testing import test_routes_headers
    from spoticar_handoff.tls import tls_context
    try:
        response = httpx.post(icare.rstrip("/") + "/__test__/dealers", timeout=5, verify=tls_context(),
                              headers=test_routes_headers(app.config), json={
            "code_t": code_t, "rrdi": rrdi, "name": f"CERTIFICATION {session.dms.upper()}",
            "configuration": "assurance", "convention_email": f"certification+{session.id}@spoticar.example"})
    except httpx.HTTPError as exc:
        return f"skipped: Icare ne répond pas ({type(exc).__name__})."
    if response.status_code != 201:
        return (f"skipped: Icare n'accepte pas l'ajout du point de vente de certification (HTTP "
                f"{response.status_code}) : lancez Icare avec ses routes de test.")
    return "ok"


def save_state(app: Flask, session_id: str, state: dict) -> None:
    """Store the session's state (verdicts, actions done, scenario start times)."""
    with app.extensions["db"].transaction() as s:
        row = s.get(CertSession, session_id)
        row.state = json.loads(json.dumps(state))
        flag_modified(row, "state")


def by_key(db, key: str | None) -> CertSession | None:
    if not key:
        return None
    return db.session.scalar(select(CertSession).where(CertSession.key_digest == key_digest(key)))


_RESERVED = select(CertSession.__table__.c.id).where(CertSession.__table__.c.dealer_rrdi == bindparam("c_rrdi"))


def dealer_reserved(db, rrdi: str, conn=None) -> bool:
    """Whether dealer ``rrdi`` belongs to a certification session (a Core query: every hand-off asks;
    ``conn``: a read connection the caller already holds)."""
    if conn is not None:
        return conn.execute(_RESERVED, {"c_rrdi": rrdi}).first() is not None
    with db.read_engine.connect() as own:
        return dealer_reserved(db, rrdi, own)


def by_dealer(db, rrdi: str) -> CertSession | None:
    return db.session.scalar(select(CertSession).where(CertSession.dealer_rrdi == rrdi))


def get(db, session_id: str) -> CertSession | None:
    return db.session.get(CertSession, session_id)


def sales(plan: dict, session: CertSession) -> dict[str, dict | None]:
    """Scenario id → the sale this session asks for (its own VINs, its dealer, its date)."""
    return {s["id"]: plans.sale_for(plan, s["id"], dms=session.dms, rrdi=session.dealer_rrdi,
                                    today=dt.date.fromisoformat(session.day), callback_url=session.callback_url,
                                    serial=session.state.get("vin_serial"))
            for s in plan["scenarios"]}


def _params(app: Flask) -> dict:
    """The checks' parameters the app's configuration sets (``checks.DEFAULTS`` otherwise):
    ``CERTIFICATION_SETTLE_SECONDS``, the quiet time after a refusal before « no blind retry » passes;
    ``CERTIFICATION_OBSERVE_SECONDS`` (else ``SPOTICAR_CERTIFICATION_OBSERVE_SECONDS``), the session's
    closing observation (``advance``)."""
    from certification.checks import DEFAULTS
    from common.settings import setting
    settle = app.config.get("CERTIFICATION_SETTLE_SECONDS")
    return {**({} if settle is None else {"settle_seconds": float(settle)}),
            "observe_seconds": setting(app.config, "CERTIFICATION_OBSERVE_SECONDS",
                                       "SPOTICAR_CERTIFICATION_OBSERVE_SECONDS", DEFAULTS["observe_seconds"], float)}


def _context(plan: dict, session: CertSession, scenario_id: str, found: dict, all_entries: list, now, final,
             params: dict):
    from certification.evaluate import bdc_owners
    state = session.state
    return {"sale": sales(plan, session)[scenario_id], "params": params, "bdc_owners": bdc_owners(found),
            "entries": found.get(scenario_id, []), "session_entries": all_entries, "now": now, "final": final,
            "correction": plans.correction_for(plan, scenario_id), "actions": state.get("actions", {}),
            "started_at": _waiting_since(state, scenario_id), "wait_seconds": session.wait_seconds}


def _waiting_since(state: dict, scenario_id: str) -> str | None:
    """When the scenario's wait began: its start, or when the session asked for the readback (the
    callbacks sent again) — the DMS's next step, as any other, gets the full wait."""
    asked = (state.get("actions") or {}).get("readback_asked_at")
    if asked and scenario_id == state.get("current") and "readback" not in state["actions"]:
        return asked
    return state["started"].get(scenario_id)


def advance(app: Flask, session_id: str, probes: bool = True, *, settle: float = 0.3,
            wait: float = -1) -> CertSession:
    """Judge what can be judged: the current scenario gets its verdict once its evidence is in (or its
    wait is over), then the next one starts; session-wide scenarios are judged at the end.
    ``probes=False`` while the DMS waits for our answer: nothing is sent to it then. ``settle``: how
    long to wait first for the requests under way to be journalled (a client that got its answer then
    reads finds it judged). Short on a request's thread: requests under way there include other
    readers, each waiting on the others; whatever comes later, the next judging takes. ``wait``: how
    long to wait for a judging under way (-1: as long as it takes); past it, the session as saved
    (a judging sending the session's callbacks to a DMS answering each within its 5 s takes that long).
    The session returned carries the entries judged (``judged_entries``) for ``describe``."""
    evidence.settle(app, settle)
    held = lock(session_id)
    if not held.acquire(timeout=wait):
        with app.extensions["db"].read_sessionmaker() as s:
            session = s.get(CertSession, session_id)
        session.judged_entries = None
        return session
    try:
        return _advance(app, session_id, probes)
    finally:
        held.release()


def _advance(app: Flask, session_id: str, probes: bool) -> CertSession:
    """``advance``, the session's lock held."""
    from certification import actions
    from certification.evaluate import attribute, verdict
    db = app.extensions["db"]
    params = _params(app)
    judged = None
    for _ in range(3):  # an action (probe, outage) adds evidence: judge again right away
        with db.read_sessionmaker() as s:
            session = s.get(CertSession, session_id)
        plan, state = plans.load(session.plan_version), session.state
        finished = state.get("finished_at")
        entries = evidence.entries(app, session_id, _created(session), keep=True, settled=True,
                                   until=dt.datetime.fromisoformat(finished) if finished else None)
        now = _now()   # after the read: a verdict is never older than an exchange it cites
        found = attribute(plan, entries, state["started"], sales(plan, session))
        current = None
        state["interim"] = {}
        for scenario in plan["scenarios"]:
            sid = scenario["id"]
            if sid in state["results"] or scenario.get("scope") == "session":
                continue
            state["started"].setdefault(sid, now.isoformat())
            status, findings = verdict(plan, sid, _context(plan, session, sid, found, entries, now, False, params))
            if status == WAITING:
                current = sid
                # shown while it waits: a refused hand-off says now what to correct before sending
                # it again, not once the wait is over
                state["interim"] = {sid: [f.to_dict() for f in findings]}
                break
            state["results"][sid] = _result(status, findings, now)
        observing = False
        if current is None and "finished_at" not in state:
            current, end = _observe(plan, state, now, params)
            observing = current is not None
            if not observing:   # the observation is over: the session's end is its end
                now = min(now, end)
                entries = [e for e in entries if ex.when(e) <= now]
                found = attribute(plan, entries, state["started"], sales(plan, session))
                _review(plan, session, state, found, entries, now, params)
                for scenario in [s for s in plan["scenarios"] if s.get("scope") == "session"]:
                    status, findings = verdict(plan, scenario["id"], _context(plan, session, scenario["id"],
                                                                              found, entries, now, True, params))
                    state["results"].setdefault(scenario["id"], _result(status, findings, now))
                state["finished_at"] = now.isoformat()
        state["current"] = current
        acted = actions.run(app, session, plan, current, found, entries, probes) \
            if current and not observing else False
        save_state(app, session_id, state)
        if not acted:
            judged = entries
            break
    _judged_at[session_id] = time.monotonic()
    with db.read_sessionmaker() as s:
        session = s.get(CertSession, session_id)
    session.judged_entries = judged   # (not a column: what this judging read, None when stale)
    return session


END_REVIEW = "Jugé à nouveau en fin de session, sur tous ses échanges : "


def _observe(plan: dict, state: dict, now: dt.datetime, params: dict) -> tuple[str | None, dt.datetime]:
    """Once every scenario of its own has its verdict, the session still watches the DMS for
    ``observe_seconds`` (30 s by default) before its end: a status still polled once final, a refused
    demand sent again or the sale sent under a second order after a longer back-off are caught there.
    (The session-wide scenario being watched, or None once the observation is over; when it ends.)
    While it lasts, the current scenario is the first session-wide one without a verdict (a tester may
    skip it): a client waiting for ``current`` to be null waits for the session's end."""
    if "observing_until" not in state:
        state["observing_until"] = (now + dt.timedelta(seconds=params["observe_seconds"])).isoformat()
    end = dt.datetime.fromisoformat(state["observing_until"])
    if now >= end:
        return None, end
    return next((s["id"] for s in plan["scenarios"]
                 if s.get("scope") == "session" and s["id"] not in state["results"]), None), end


def _review(plan: dict, session: CertSession, state: dict, found: dict, entries: list, now, params: dict) -> None:
    """At the session's end, each scenario that passed is judged again on all its exchanges, as at the
    end (``final``): a verdict given after a few quiet seconds (no resend after a refusal, one sale one
    order) does not hold when the DMS sent the same demand again later, after a longer back-off. A
    verdict only gets worse there (passed or warning → failed); a failure or a tester's skip stays."""
    from certification.evaluate import verdict
    for scenario in plan["scenarios"]:
        sid, result = scenario["id"], state["results"].get(scenario["id"])
        if scenario.get("scope") == "session" or not result or result["status"] not in (PASSED, WARNING):
            continue
        status, findings = verdict(plan, sid, _context(plan, session, sid, found, entries, now, True, params))
        if status == FAILED:
            for f in findings:
                if f.level == "fail":
                    f.message = END_REVIEW + f.message
            state["results"][sid] = _result(status, findings, now)


def _created(session: CertSession) -> dt.datetime:
    return session.created_at.replace(tzinfo=dt.timezone.utc)


def _result(status: str, findings: list, now: dt.datetime) -> dict:
    return {"status": status, "findings": [f.to_dict() for f in findings], "decided_at": now.isoformat()}


FINISHED = "La session de certification est terminée : "


def skip(app: Flask, session_id: str, reason: str) -> str | None:
    """The tester skips the current scenario, with the reason (kept in the report); the French reason
    when there is none to skip (the session is over)."""
    with lock(session_id):
        with app.extensions["db"].read_sessionmaker() as s:
            state = s.get(CertSession, session_id).state
        if state.get("finished_at") or not state.get("current"):
            return FINISHED + "plus aucun scénario à ignorer. Ouvrez une nouvelle session pour rejouer le plan."
        if state.get("current"):
            state["results"][state["current"]] = {
                "status": "skipped", "decided_at": _now().isoformat(),
                "findings": [{"check": "tester", "level": "skip", "message": f"Ignoré par le testeur : {reason}",
                              "entries": [], "diff": []}]}
            save_state(app, session_id, state)
    return None


def readback(app: Flask, session_id: str, contract_number: str | None, status: str | None) -> str | None:
    """Record what the DMS shows for the order once the session sent its callbacks again (its driver's
    reading, or the tester's); the French reason when it is not the time for it."""
    with lock(session_id):
        with app.extensions["db"].read_sessionmaker() as s:
            state = s.get(CertSession, session_id).state
        done = state.setdefault("actions", {})
        if state.get("finished_at"):
            return (FINISHED + "le relevé de la commande n'est plus attendu. Ouvrez une nouvelle session pour "
                               "rejouer le plan.")
        if not state.get("current") or "duplicate" not in done:
            return ("Aucun rappel renvoyé pour l'instant : relevez la commande dans le DMS une fois que la "
                    "session a renvoyé ses rappels.")
        if "readback" in done:
            return "Le relevé de la commande est déjà enregistré pour cette session."
        done["readback"] = {"contract_number": contract_number, "status": status, "at": _now().isoformat()}
        save_state(app, session_id, state)
    return None


def describe(app: Flask, session: CertSession, public_url: str) -> dict:
    """The session as JSON: provisioning, then every scenario with id, title, status, instructions, sale."""
    from certification.evaluate import attribute
    plan, state = plans.load(session.plan_version), session.state
    live = {}
    if state.get("current"):
        judged = getattr(session, "judged_entries", None)
        if judged is None:   # (not judged now: the evidence judged so far)
            judged = evidence.kept(app, session.id)
        found = attribute(plan, judged, state["started"], sales(plan, session))
        live = {sid: [e["id"] for e in items] for sid, items in found.items()}
    scenarios, asked = [], sales(plan, session)
    for scenario in plan["scenarios"]:
        sid = scenario["id"]
        result = state["results"].get(sid) or {"status": WAITING,
                                                "findings": (state.get("interim") or {}).get(sid, [])}
        scenarios.append({
            "id": sid, "title": scenario["title"], "status": result["status"],
            "status_label": STATUS_LABELS[result["status"]], "instructions": scenario["instructions"],
            "sale": asked[sid],
            "correction": plans.correction_for(plan, sid) or None, "checks": scenario["checks"],
            "started_at": state["started"].get(sid), "decided_at": result.get("decided_at"),
            "findings": result["findings"], "evidence": live.get(sid, [])})
    done = finished(state)
    return {"id": session.id, "dms": session.dms, "plan": {k: plan[k] for k in ("id", "version", "title")},
            "centralisateur_url": public_url, "api_url": public_url.rstrip("/") + "/api/v1/handoffs",
            "dealer": {"rrdi": session.dealer_rrdi, "code_t": _code_t(app, session), "profil": "NPO + STELLANTIS "
                       "INSURANCE (Garantie SPOTICAR Stellantis)"},
            "callback_url": session.callback_url, "wait_seconds": session.wait_seconds,
            "created_at": session.created_at.replace(tzinfo=dt.timezone.utc).isoformat(),
            "current": state.get("current"), "awaiting_readback": _awaiting_readback(state),
            **_observation(state),
            "finished": done, "verdict": _verdict(scenarios) if done else None,
            "failed": any(s["status"] == "failed" for s in scenarios), "actions": state.get("actions", {}),
            "scenarios": scenarios}


def finished(state: dict) -> bool:
    """Whether a session (its ``state``) is over: every scenario judged, its closing observation done."""
    return state.get("current") is None and bool(state.get("results"))


def _verdict(scenarios: list[dict]) -> str:
    """A finished session's verdict, as its report gives it: passed, failed or incomplete."""
    from certification.report import counts, overall
    return overall(scenarios, counts(scenarios))


def _observation(state: dict) -> dict:
    """While the session's closing observation lasts (``_observe``): when it ends, and in how many
    seconds; null otherwise."""
    until = state.get("observing_until") if state.get("current") else None
    left = None if until is None else max(0, math.ceil((dt.datetime.fromisoformat(until) - _now()).total_seconds()))
    return {"observing_until": until, "observing_seconds_left": left}


def _awaiting_readback(state: dict) -> bool:
    """The session sent its callbacks again and waits for what the DMS shows of the order."""
    done = state.get("actions") or {}
    return bool(state.get("current")) and "duplicate" in done and "readback" not in done


def _code_t(app: Flask, session: CertSession) -> str | None:
    dealer = app.extensions["db"].session.get(Dealer, session.dealer_rrdi)
    return dealer.code_t if dealer else None
