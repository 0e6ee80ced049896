"""Hand-off API v1 (SPEC §4.1): what a DMS calls. JSON in, JSON out, French errors, never a 500."""
from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import orjson
from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from centralisateur import api_store
from centralisateur.api_links import declaration_url
from centralisateur.api_store import Stored
from centralisateur.store import Declaration, DmsClient
from certification import hooks
from common.auth import bearer_token, key_digest
from common.dates import as_utc
from common.egress import UrlRefused, callback_origins, check_url, refusal
from common.journal.context import current as journal_context
from common.keys import demo_key_allowed
from common.web import csrf, error_response, json_body
from spoticar_handoff.eligibility import refusals
from spoticar_handoff.form_fields import DEFAULT_MAX_DAYS_AFTER_DELIVERY
from spoticar_handoff.statuses import DeclarationStatus

if TYPE_CHECKING:  # pydantic's models: imported by the first request using them, not when the app starts
    from spoticar_handoff.models import DeclarationState, HandoffIn

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _errors(status: int, errors: list[dict]):
    return jsonify({"errors": errors}), status


@bp.before_request
def _authenticate():
    if request.endpoint == "api.openapi":
        return None
    key = bearer_token()
    client = None
    if key and demo_key_allowed(key, current_app.config["DEMO_MODE"]):
        client = client_named(current_app._get_current_object(), key_digest(key))
    if client is None and key:
        session = hooks.authenticate(key)
        if session is not None:
            g.dms = session.dms
            return hooks.throttled() or hooks.finished_refusal()
    if client is None:
        return error_response(401, "Clé d'API absente ou invalide (en-tête Authorization: Bearer <clé>).")
    g.dms = client
    return None


_clients_lock = threading.Lock()
CLIENTS_RELOAD = 1.0  # seconds: an unknown key reloads the table at most this often


def client_named(app, digest: str) -> str | None:
    """The DMS whose API key has this digest (``cds_dms_clients``, cached; an unknown digest reloads
    the table, at most once a second, so a flood of bad keys costs no query per request)."""
    loaded, by_digest = app.extensions.get("dms_clients", (0.0, {}))
    if digest not in by_digest and time.monotonic() - loaded > CLIENTS_RELOAD:
        with _clients_lock:
            db = app.extensions["db"]
            with db.read_engine.connect() as conn:
                by_digest = dict(conn.execute(select(DmsClient.key_digest, DmsClient.name)).all())
            app.extensions["dms_clients"] = (time.monotonic(), by_digest)
    return by_digest.get(digest)


_warning_texts = None  # ``spoticar_handoff.warnings.warning_texts``, imported by the first receipt (pydantic)


def receipt_body(app, stored: Stored, payload: dict) -> bytes:
    """The 201/200 body: ``HandoffReceipt`` as pydantic writes it (compact JSON, in the model's field
    order) with ``jsonify``'s final newline; ``payload`` is the hand-off just received (what a
    pending form shows). Written by orjson from plain values: building the model and its warnings'
    models cost more than the rest of the receipt."""
    global _warning_texts
    if _warning_texts is None:  # once: an import statement here looked the module's ``__path__`` up at
        # every receipt (an AttributeError made and dropped, its message formatted)
        from spoticar_handoff.warnings import warning_texts as _warning_texts
    warning_texts = _warning_texts
    status = DeclarationStatus(stored.status)  # a status the model would refuse fails here alike
    # until declared, the dealer still has to correct on form 2/3 what the warnings name
    warnings = warning_texts(payload, max_days_after_delivery=app.config.get(
        "MAX_DAYS_AFTER_DELIVERY", DEFAULT_MAX_DAYS_AFTER_DELIVERY)) if status == "pending" else []
    return orjson.dumps({"handoff_id": int(stored.id), "bdc_number": stored.bdc_number,
                         "declaration_url": declaration_url(app, stored.id), "status": status.value,
                         "warnings": [{"field": field, "message": message} for field, message in warnings]},
                        option=orjson.OPT_APPEND_NEWLINE)


def state(declaration: Declaration) -> DeclarationState:
    """A declaration as the API's ``DeclarationState`` (status reads and callbacks)."""
    from spoticar_handoff.models import DeclarationState
    return DeclarationState(bdc_number=declaration.bdc_number, status=declaration.status,
                            garantisseur=declaration.garantisseur,
                            contract_number=declaration.contract_number,
                            dms_order_ref=declaration.dms_order_ref, declared_at=as_utc(declaration.declared_at),
                            message=declaration.message)


def prepare(app, dms: str, handoff: HandoffIn, session=None, default_callback: str | None = None):
    """What needs no database, decided on the request thread: ``(sale, refusals, bad_callback)`` —
    the write job's ``Sale``, the eligibility refusals and why the callback URL is refused (None).
    ``session``: the certification session of the key (None for a DMS key); ``default_callback``: the
    callback URL used when the hand-off names none (the session's)."""
    rrdi = handoff.dealer.rrdi
    v = handoff.vehicle
    refused = refusals(v.brand, v.din_power, v.usage, v.ptac_kg)
    payload = handoff.model_dump(mode="json")
    bad_callback = None
    if payload["callback_url"]:
        try:
            check_url(payload["callback_url"], callback_origins(app.config, dms))
        except UrlRefused as exc:
            bad_callback = refusal(app.config, exc)
    payload["callback_url"] = payload["callback_url"] or default_callback
    trace = journal_context()  # stored with the sale: any worker's journal finds the declaration's trace
    sale = api_store.Sale(handoff.source_dms, rrdi, handoff.dms_order_ref, payload, check_reserved=session is None,
                          refused=bool(refused or bad_callback or (session and rrdi != session.dealer_rrdi)),
                          payload_json=api_store.payload_text(payload),
                          trace_id=trace.trace_id if trace else None, tracestate=trace.tracestate if trace else None)
    return sale, refused, bad_callback


def write(app, sale: api_store.Sale) -> Stored | str:
    """Check the dealer and record the sale in the app's group commit: durable once this returns."""
    return app.extensions["handoff_writer"].run(lambda conn: api_store.store(conn, sale))


@bp.post("/handoffs")
def create_handoff():
    """Receive a sale from a DMS; the same DMS order sent again returns the same hand-off (200).
    The common case (a DMS key, a sale accepted) is answered by ``api_lean`` before Flask: same
    functions, same answer; every other case comes here."""
    from spoticar_handoff.models import HandoffIn
    handoff, failure = json_body(HandoffIn)
    if failure:
        return failure
    if handoff.source_dms != g.dms:
        return error_response(403, f"Cette clé d'API est celle du DMS {g.dms} : elle ne peut pas déclarer "
                                   f"pour le DMS {handoff.source_dms}.", "source_dms")
    app = current_app._get_current_object()
    rrdi = handoff.dealer.rrdi
    sale, refused, bad_callback = prepare(app, g.dms, handoff, g.get("cert_session"), hooks.callback_url(None))
    try:
        stored = write(app, sale)
    except IntegrityError:  # the dealer vanished meanwhile (its foreign key), or a twin order won
        stored = api_store.existing(app.extensions["db"], sale) or api_store.UNKNOWN_DEALER
    if stored == api_store.UNKNOWN_DEALER:
        return _errors(422, [{"field": "dealer.rrdi",
                              "message": f"Code RRDI {rrdi} inconnu du centralisateur Spoticar."}])
    if stored == api_store.OTHER_DMS:
        return error_response(403, f"Le point de vente {rrdi} n'est pas servi par le DMS {g.dms}.",
                              "dealer.rrdi")
    if isinstance(stored, str):  # RESERVED or REFUSED: the first refusal, in the API's order
        return (hooks.dealer_refusal(rrdi, reserved=stored == api_store.RESERVED)
                or (_errors(422, [{"field": r.field, "message": r.message} for r in refused]) if refused else None)
                or _errors(422, [{"field": "callback_url", "message": bad_callback}]))
    return app.response_class(receipt_body(app, stored, sale.payload), 201 if stored.created else 200,
                              mimetype="application/json")


@bp.get("/declarations/<bdc_number>")
def declaration_status(bdc_number: str):
    """Status of a declaration, for the DMS that sent it (another DMS gets a 404)."""
    db = current_app.extensions["db"]
    declaration = db.session.scalar(select(Declaration).where(Declaration.bdc_number == bdc_number))
    if declaration is None or declaration.source_dms != g.dms or not hooks.may_read(declaration.dealer_rrdi):
        return error_response(404, f"Aucune déclaration n° {bdc_number} pour le DMS {g.dms}.")
    return jsonify(state(declaration).model_dump(mode="json"))


@bp.get("/openapi.json")
def openapi():
    from centralisateur.openapi import document
    return jsonify(document(current_app.config.get("PUBLIC_URL")))
