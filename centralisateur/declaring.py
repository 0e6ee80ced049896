"""Declaring a sale: claim it once, record the NPO and create the contract at Icare, tell the DMS.

Exactly-once, across threads, gunicorn workers and processes sharing one database, comes from claims
made in the database, never in memory: each is a conditional UPDATE only one caller can win (the
declaration: pending → contract_pending; an Icare retry or a callback delivery: a lease moved forward
from a due time). Every attempt at Icare — after the form, automatic or « Réessayer maintenant » —
also holds the declaration's ``IcareLease`` while it runs, so a manual retry never overlaps another
attempt. Icare itself also answers the same contract for the same bdc_number.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import time

from flask import Flask
from sqlalchemy import bindparam, delete, exists, or_, select, update
from sqlalchemy.exc import IntegrityError

from centralisateur.api import state
from certification import evidence, hooks
from centralisateur.icare_client import IcareClient, IcareRefused, IcareUnavailable
from centralisateur.privacy import refresh_search
from centralisateur.store import Dealer, Declaration, IcareLease, utcnow
from common.egress import UrlRefused, callback_origins, check_url, guarded_transport
from spoticar_handoff.callbacks import delivery_id, sign_callback
from common.journal import http_client
from common.prepared import Prepared

log = logging.getLogger(__name__)

LEASE = dt.timedelta(seconds=30)     # a claimed declaration is retried after this if its request died
MAX_BACKOFF = 60.0


def backoff(attempts: int, first: float = 1.0) -> dt.timedelta:
    """The wait before the next attempt: ``first`` seconds (the app's ``RETRY_FIRST_SECONDS``), then
    doubling, at most MAX_BACKOFF."""
    return dt.timedelta(seconds=min(MAX_BACKOFF, first * 2.0 ** max(0, attempts - 1)))


def _first_retry(app: Flask) -> float:
    return float(app.config.get("RETRY_FIRST_SECONDS", 1.0))


def _take_lease(session, declaration_id: int, now: dt.datetime) -> dt.datetime | None:
    """Hold the Icare attempt of ``declaration_id`` for LEASE within ``session``'s transaction: an
    expired lease moved forward, else a new one inserted (the primary key lets one caller win). The
    lease's end, or None when another attempt holds it."""
    until = now + LEASE
    if session.execute(update(IcareLease).where(IcareLease.declaration_id == declaration_id,
                                                IcareLease.until <= now).values(until=until)).rowcount:
        return until
    try:
        with session.begin_nested():
            session.add(IcareLease(declaration_id=declaration_id, until=until))
    except IntegrityError:
        return None
    return until


def claim(app: Flask, declaration_id: int, form: dict) -> dt.datetime | None:
    """Move a pending declaration to contract_pending with the declared values and hold its first
    attempt at Icare; the lease for ``send_to_icare``, None if already done."""
    db = app.extensions["db"]
    now = utcnow()
    with db.transaction() as session:
        result = session.execute(
            update(Declaration)
            .where(Declaration.id == declaration_id, Declaration.status == "pending")
            .values(status="contract_pending", form=form, declared_at=now,
                    next_attempt_at=now + LEASE, message=None))
        if result.rowcount != 1:
            return None
        payload = session.scalar(select(Declaration.payload).where(Declaration.id == declaration_id))
        refresh_search(session, declaration_id, payload, form)  # the RGPD search finds the declared values
        return _take_lease(session, declaration_id, now)


def claim_now(app: Flask, declaration_id: int) -> dt.datetime | None:
    """« Réessayer maintenant »: hold an attempt at Icare now, before the next automatic one; None
    when the declaration is no longer waiting for Icare or an attempt is under way elsewhere."""
    now = utcnow()
    with app.extensions["db"].transaction() as session:
        # the declaration's row first, then the lease: the order the automatic claim locks them in
        declaration = session.get(Declaration, declaration_id, with_for_update=True)
        if declaration is None or declaration.status != "contract_pending":
            return None
        lease = _take_lease(session, declaration_id, now)
        if lease is not None:
            declaration.next_attempt_at = lease
        return lease


def _icare_bodies(declaration: Declaration, dealer: Dealer) -> tuple[dict, dict | None]:
    form = declaration.form
    npo = {"bdc_number": declaration.bdc_number, "code_t": dealer.code_t, "rrdi": dealer.rrdi,
           "plate": form["plate"], "vin": form["vin"], "sale_date": form["delivery_date"]}
    if declaration.garantisseur != "stellantis":
        return npo, None
    contract = {**npo, "label": declaration.program, "product": form["product"],
                "duration_months": int(form["duration_months"]), "start_date": form["start_date"],
                "customer": {"civility": form["civility"], "last_name": form["last_name"],
                             "first_name": form["first_name"], "email": form.get("email")},
                "vehicle": {"plate": form["plate"], "vin": form["vin"], "brand": form["brand"],
                            "model": form["model"], "version": form["version"],
                            "mileage_km": int(form["mileage_km"])}}
    return npo, contract


def wait_first_attempt(app: Flask, declaration_id: int) -> None:
    """A second submission (double click, second tab) waits for the first one's Icare answer, so
    both show the same confirmation. Bounded by Icare's timeout."""
    db = app.extensions["db"]
    deadline = time.monotonic() + app.config.get("ICARE_TIMEOUT", 5.0) * 2 + 1
    while time.monotonic() < deadline:
        with db.read_sessionmaker() as session:
            row = session.get(Declaration, declaration_id)
            if row is None or row.status != "contract_pending" or row.icare_attempts > 0:
                return
        time.sleep(0.05)


def _release(session, declaration_id: int, lease: dt.datetime) -> None:
    session.execute(delete(IcareLease).where(IcareLease.declaration_id == declaration_id,
                                             IcareLease.until == lease))


def send_to_icare(app: Flask, declaration_id: int, lease: dt.datetime) -> str:
    """One attempt at Icare for a contract_pending declaration, by the holder of its ``lease`` (from
    ``claim``, ``claim_now`` or the automatic retry's claim); returns the resulting status."""
    db = app.extensions["db"]
    with db.transaction() as session:
        declaration = session.get(Declaration, declaration_id)
        if declaration is None or declaration.status != "contract_pending":
            _release(session, declaration_id, lease)
            return declaration.status if declaration else "missing"
        dealer = session.get(Dealer, declaration.dealer_rrdi)
        npo_body, contract_body = _icare_bodies(declaration, dealer)
    client = IcareClient(app.config["URLS"]["icare"], app.config["ICARE_SERVICE_KEY"],
                         timeout=app.config.get("ICARE_TIMEOUT", 5.0), app=app, bdc=npo_body["bdc_number"])
    values: dict = {}
    try:
        values["npo_reference"] = client.create_npo(npo_body)["npo_reference"]
        if contract_body is not None:
            values["contract_number"] = client.create_contract(contract_body)["contract_number"]
        values.update(status="declared", next_attempt_at=None, message=None)
    except IcareUnavailable as exc:
        log.warning("Icare indisponible pour la déclaration %s : %s", declaration_id, exc)
        values = {"message": "Le gestionnaire Icare ne répond pas : le contrat sera créé automatiquement "
                             "dès son retour."}
    except IcareRefused as exc:
        values = {"status": "refused", "next_attempt_at": None,
                  "message": f"Refus du gestionnaire Icare : {exc.message}"}
    finally:
        client.close()
    with db.transaction() as session:
        declaration = session.get(Declaration, declaration_id, with_for_update=True)
        _release(session, declaration_id, lease)
        if declaration.status != "contract_pending":  # someone else finished it meanwhile
            return declaration.status
        declaration.icare_attempts += 1
        if "status" not in values:
            values["next_attempt_at"] = utcnow() + backoff(declaration.icare_attempts, _first_retry(app))
        for key, value in values.items():
            setattr(declaration, key, value)
        # the DMS hears of every outcome: declared, refused, or contract pending on the first failure
        if declaration.callback_url and (declaration.status != "contract_pending"
                                         or declaration.icare_attempts == 1):
            declaration.callback_due = True
            declaration.callback_next_at = utcnow()
        status = declaration.status
    _wake(app)
    return status


def _claim_retry(app: Flask, declaration_id: int) -> dt.datetime | None:
    """Take a due Icare retry for the next LEASE; None when another worker already has it or an
    attempt (« Réessayer maintenant ») is under way."""
    now = utcnow()
    with app.extensions["db"].transaction() as session:
        # not while the "contract pending" callback waits for a worker to take it: a retry that
        # succeeded first would replace it by "declared" (the callback sends the current state), so a
        # busy worker would decide whether the DMS ever hears of the outage. Once taken (or failed,
        # then due later), the retry goes ahead: a DMS that is down never holds the contract up.
        due = session.execute(
            update(Declaration)
            .where(Declaration.id == declaration_id, Declaration.status == "contract_pending",
                   Declaration.next_attempt_at <= now,
                   or_(Declaration.callback_due.is_not(True), Declaration.callback_next_at > now))
            .values(next_attempt_at=now + LEASE)).rowcount == 1
        return _take_lease(session, declaration_id, now) if due else None


def _claim_callback(app: Flask, declaration_id: int):
    """Take a due callback for the next LEASE: ``(lease, body, delivery, url, key, certification, bdc,
    source_dms)``, or None when another worker already has it. The lease doubles as a version: a newer
    state makes the callback due again with another time, so the delivery of an older one cannot mark
    the newer one delivered."""
    now = utcnow()
    lease = now + LEASE
    with app.extensions["db"].transaction() as session:
        claimed = session.execute(
            update(Declaration)
            .where(Declaration.id == declaration_id, Declaration.callback_due.is_(True),
                   Declaration.callback_next_at <= now)
            .values(callback_next_at=lease)).rowcount == 1
        if not claimed:
            return None
        declaration = session.get(Declaration, declaration_id)
        current = state(declaration)
        body = json.dumps(current.model_dump(mode="json")).encode()
        delivery = delivery_id(current.bdc_number, current.status, current.contract_number)
        url = declaration.callback_url
        certification = hooks.session_id_for(app, declaration.dealer_rrdi)
        key = hooks.signing_key(app, declaration) if certification else \
            app.config["DMS_KEYS"].get(declaration.source_dms)
        return (lease, body, delivery, url, key, certification, declaration.bdc_number,
                declaration.source_dms)


def deliver_callback(app: Flask, declaration_id: int) -> bool | None:
    """POST the declaration's state to the DMS's callback_url, signed with the DMS's API key (a fresh
    timestamp per attempt, the same delivery id for every retry of one state); at most one worker
    delivers a given state at a time. None when it was not this worker's to deliver."""
    import httpx  # at the first callback, not when the app starts

    claimed = _claim_callback(app, declaration_id)
    if claimed is None:
        return None
    lease, body, delivery, url, key, certification, bdc, source_dms = claimed
    headers = {"Content-Type": "application/json"}
    if key:
        headers.update(sign_callback(body, key, delivery))
    if certification:  # a certification session's DMS: the exchange is its evidence
        entry = evidence.post(app, certification, url, body, headers, bdc,
                              allowed_origins=callback_origins(app.config, source_dms))
        answer = entry["status"]
    else:
        try:
            allowed = callback_origins(app.config, source_dms)
            check_url(url, allowed)  # again, and at connect time (DNS may have changed)
            with http_client(app, bdc=bdc, timeout=5.0, transport=guarded_transport(allowed)) as http:
                answer = http.post(url, content=body, headers=headers).status_code
        except (httpx.HTTPError, UrlRefused):
            answer = None
    delivered = answer is not None and (answer < 300 or answer == 409)  # 409: the DMS already has it
    with app.extensions["db"].transaction() as session:
        declaration = session.get(Declaration, declaration_id, with_for_update=True)
        declaration.callback_attempts += 1
        if declaration.callback_next_at != lease:
            return delivered  # a newer state is due meanwhile: it goes out on its own
        if delivered:
            declaration.callback_due = False
        else:
            declaration.callback_next_at = utcnow() + backoff(declaration.callback_attempts, _first_retry(app))
            if declaration.callback_attempts >= 12:
                declaration.callback_due = False  # the DMS can still poll the status API
    return delivered


_D = Declaration.__table__
# whether a pass has anything to do: the two conditions below, one index look-up each, in one statement
# run on the driver — the worker's pass every second finds nothing most of the time, and two ORM
# queries cost the process ~2 ms of CPU a pass (a sixth of a core's second when idle)
_ANY_DUE = Prepared(select(or_(
    exists().where(_D.c.status == bindparam("pending"), _D.c.next_attempt_at <= bindparam("now")),
    exists().where(_D.c.callback_due.is_(True), _D.c.callback_next_at <= bindparam("now")))))


def process_due(app: Flask) -> int:
    """Retry every declaration and callback whose time has come and that this worker could claim;
    the number of attempts made."""
    db = app.extensions["db"]
    now = utcnow()
    with db.read_engine.connect() as conn:
        due = _ANY_DUE.first(conn, {"pending": "contract_pending", "now": now})
    if not (due and due[0]):
        return 0
    with db.read_sessionmaker() as session:
        icare_ids = list(session.scalars(select(Declaration.id).where(
            Declaration.status == "contract_pending", Declaration.next_attempt_at <= now)))
        callback_ids = list(session.scalars(select(Declaration.id).where(
            Declaration.callback_due.is_(True), Declaration.callback_next_at <= now)))
    attempts = 0
    # callbacks first: the DMS hears of the state a declaration is in before a retry moves it on
    for declaration_id in callback_ids:
        if deliver_callback(app, declaration_id) is not None:
            attempts += 1
    for declaration_id in icare_ids:
        lease = _claim_retry(app, declaration_id)
        if lease is not None:
            send_to_icare(app, declaration_id, lease)
            attempts += 1
    return attempts


def _wake(app: Flask) -> None:
    worker = app.extensions.get("worker")
    if worker is not None:
        worker.wake()

