"""Hand-off API v1 (SPEC §4.1): what a DMS calls. JSON in, JSON out, French errors, never a 500."""
from __future__ import annotations

import threading
import time

from flask import Blueprint, current_app, g, jsonify, request, url_for
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.url_safe import URLSafeSerializerMixin
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from centralisateur import api_store
from centralisateur.api_store import Stored
from centralisateur.store import Declaration, DmsClient
from common.group_commit import GroupCommitter
from certification import hooks
from common.auth import bearer_token, key_digest
from common.dates import as_utc
from common.egress import UrlRefused, callback_origins, check_url
from common.journal import current as current_trace
from common.keys import demo_key_allowed
from common.web import csrf, error_response, json_body
from spoticar_handoff.eligibility import refusals
from spoticar_handoff.models import DeclarationState, HandoffIn, HandoffReceipt
from spoticar_handoff.form_fields import DEFAULT_MAX_DAYS_AFTER_DELIVERY
from spoticar_handoff.warnings import handoff_warnings

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
        client = _client_named(key_digest(key))
    if client is None and key:
        session = hooks.authenticate(key)
        if session is not None:
            g.dms = session.dms
            return hooks.throttled()
    if client is None:
        return error_response(401, "Clé d'API absente ou invalide (en-tête Authorization: Bearer <clé>).")
    g.dms = client
    return None


_clients_lock = threading.Lock()
CLIENTS_RELOAD = 1.0  # seconds: an unknown key reloads the table at most this often


def _client_named(digest: str) -> str | None:
    """The DMS whose API key has this digest (``cds_dms_clients``, cached; an unknown digest reloads
    the table, at most once a second, so a flood of bad keys costs no query per request)."""
    app = current_app._get_current_object()
    loaded, by_digest = app.extensions.get("dms_clients", (0.0, {}))
    if digest not in by_digest and time.monotonic() - loaded > CLIENTS_RELOAD:
        with _clients_lock:
            db = app.extensions["db"]
            with db.read_engine.connect() as conn:
                by_digest = dict(conn.execute(select(DmsClient.key_digest, DmsClient.name)).all())
            app.extensions["dms_clients"] = (time.monotonic(), by_digest)
    return by_digest.get(digest)


def declaration_token(declaration_id: int) -> str:
    """The signed part of a ``declaration_url``: the declaration and the trace the link is handed out
    in, so the browser a DMS redirects there joins that trace on whichever process or worker serves
    it (no shared memory needed)."""
    ctx = current_trace()
    value = [declaration_id, ctx.trace_id] if ctx is not None else declaration_id
    return _token_serializer(current_app).dumps(value)


class _KeyedSigner(TimestampSigner):
    """itsdangerous derives the signing key from the secret at every signature (one more HMAC); a
    link serializer's secret never changes, so its signer derives it once."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        if secret_key is not None:
            return super().derive_key(secret_key)
        key = self.__dict__.get("_derived")
        if key is None:
            key = self._derived = super().derive_key()
        return key


class _LinkSerializer(URLSafeTimedSerializer):
    """Declaration links as ``URLSafeTimedSerializer`` signs them, never compressed: the payload is a
    few dozen bytes zlib cannot shorten, and trying costs more than all the rest of the signature.
    The session's plain ``URLSafeTimedSerializer`` reads them alike (no "." prefix: not compressed;
    the same key, derived once by one signer kept for the serializer's salt)."""

    signer = _KeyedSigner

    def dump_payload(self, obj) -> bytes:
        return base64_encode(super(URLSafeSerializerMixin, self).dump_payload(obj))

    def make_signer(self, salt=None):
        if salt is not None:
            return super().make_signer(salt)
        signer = self.__dict__.get("_signer")
        if signer is None:
            signer = self._signer = super().make_signer(None)
        return signer


def _token_serializer(app) -> URLSafeTimedSerializer:
    """The app's declaration-link serializer, built once per secret (building one costs more than signing)."""
    secret, serializer = app.extensions.get("declaration_tokens", (None, None))
    if secret != app.secret_key:
        serializer = _LinkSerializer(app.secret_key, salt="declaration")
        app.extensions["declaration_tokens"] = (app.secret_key, serializer)
    return serializer


_TOKEN = "TOKEN"  # stands for the token while the link's path is built once


def declaration_url(declaration_id: int) -> str:
    """The absolute link of a declaration for the DMS: ``PUBLIC_URL`` (never the request's host) and
    the ``session.entry`` route around a fresh token. The route's path is built once per app and
    base URL: a token (URL-safe base64 and dots) needs no quoting."""
    app = current_app._get_current_object()
    base = app.config["PUBLIC_URL"]
    cached = app.extensions.get("declaration_link")
    if cached is None or cached[0] != base:
        path = url_for("session.entry", token=_TOKEN, _external=False)
        head, _, tail = path.partition(_TOKEN)
        cached = app.extensions["declaration_link"] = (base, base.rstrip("/") + head, tail)
    return cached[1] + declaration_token(declaration_id) + cached[2]


def receipt(stored: Stored, payload: dict) -> dict:
    """The 201/200 body; ``payload`` is the hand-off just received (what a pending form shows)."""
    # until declared, the dealer still has to correct on form 2/3 what the warnings name
    warnings = handoff_warnings(payload, max_days_after_delivery=current_app.config.get(
        "MAX_DAYS_AFTER_DELIVERY", DEFAULT_MAX_DAYS_AFTER_DELIVERY)) if stored.status == "pending" else []
    return HandoffReceipt(handoff_id=stored.id, bdc_number=stored.bdc_number,
                          declaration_url=declaration_url(stored.id),
                          status=stored.status, warnings=warnings).model_dump(mode="json")


def state(declaration: Declaration) -> DeclarationState:
    return DeclarationState(bdc_number=declaration.bdc_number, status=declaration.status,
                            garantisseur=declaration.garantisseur,
                            contract_number=declaration.contract_number,
                            dms_order_ref=declaration.dms_order_ref, declared_at=as_utc(declaration.declared_at),
                            message=declaration.message)


@bp.post("/handoffs")
def create_handoff():
    """Receive a sale from a DMS; the same DMS order sent again returns the same hand-off (200)."""
    handoff, failure = json_body(HandoffIn)
    if failure:
        return failure
    if handoff.source_dms != g.dms:
        return error_response(403, f"Cette clé d'API est celle du DMS {g.dms} : elle ne peut pas déclarer "
                                   f"pour le DMS {handoff.source_dms}.", "source_dms")
    rrdi = handoff.dealer.rrdi
    # what needs no database is decided here; the dealer is checked in the write's own transaction
    session = g.get("cert_session")
    v = handoff.vehicle
    refused = refusals(v.brand, v.din_power, v.usage, v.ptac_kg)
    payload = handoff.model_dump(mode="json")
    bad_callback = None
    if payload["callback_url"]:
        try:
            check_url(payload["callback_url"], callback_origins(current_app.config, g.dms))
        except UrlRefused as exc:
            bad_callback = exc.message
    payload["callback_url"] = hooks.callback_url(payload["callback_url"])
    sale = api_store.Sale(handoff.source_dms, rrdi, handoff.dms_order_ref, payload, check_reserved=session is None,
                          refused=bool(refused or bad_callback or (session and rrdi != session.dealer_rrdi)))
    try:
        stored = writer(current_app).run(lambda conn: api_store.store(conn, sale))
    except IntegrityError:  # the dealer vanished meanwhile (its foreign key), or a twin order won
        stored = api_store.existing(current_app.extensions["db"], sale) or api_store.UNKNOWN_DEALER
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
    return jsonify(receipt(stored, payload)), 201 if stored.created else 200


def writer(app) -> GroupCommitter:
    """The app's hand-off writer: concurrent hand-offs share one commit (``common.group_commit``)."""
    return app.extensions["handoff_writer"]


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
