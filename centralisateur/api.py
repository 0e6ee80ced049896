"""Hand-off API v1 (SPEC §4.1): what a DMS calls. JSON in, JSON out, French errors, never a 500."""
from __future__ import annotations


from flask import Blueprint, current_app, g, jsonify, request, url_for
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from centralisateur.store import Dealer, Declaration, DmsClient, bdc_number
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
        db = current_app.extensions["db"]
        client = db.session.scalar(select(DmsClient).where(DmsClient.key_digest == key_digest(key)))
    if client is None and key:
        session = hooks.authenticate(key)
        if session is not None:
            g.dms = session.dms
            return hooks.throttled()
    if client is None:
        return error_response(401, "Clé d'API absente ou invalide (en-tête Authorization: Bearer <clé>).")
    g.dms = client.name
    return None


def declaration_token(declaration_id: int) -> str:
    """The signed part of a ``declaration_url``: the declaration and the trace the link is handed out
    in, so the browser a DMS redirects there joins that trace on whichever process or worker serves
    it (no shared memory needed)."""
    ctx = current_trace()
    value = [declaration_id, ctx.trace_id] if ctx is not None else declaration_id
    return URLSafeTimedSerializer(current_app.secret_key, salt="declaration").dumps(value)


def receipt(declaration: Declaration) -> dict:
    url = url_for("session.entry", token=declaration_token(declaration.id), _external=False)
    # until declared, the dealer still has to correct on form 2/3 what the warnings name
    warnings = handoff_warnings(declaration.payload, max_days_after_delivery=current_app.config.get(
        "MAX_DAYS_AFTER_DELIVERY", DEFAULT_MAX_DAYS_AFTER_DELIVERY)) if declaration.status == "pending" else []
    return HandoffReceipt(handoff_id=declaration.id, bdc_number=declaration.bdc_number,
                          declaration_url=current_app.config["PUBLIC_URL"].rstrip("/") + url,
                          status=declaration.status, warnings=warnings).model_dump(mode="json")


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
    db = current_app.extensions["db"]
    rrdi = handoff.dealer.rrdi
    dealer = db.session.get(Dealer, rrdi)
    if dealer is None:
        return _errors(422, [{"field": "dealer.rrdi",
                              "message": f"Code RRDI {rrdi} inconnu du centralisateur Spoticar."}])
    if dealer.dms != g.dms:
        return error_response(403, f"Le point de vente {rrdi} n'est pas servi par le DMS {g.dms}.",
                              "dealer.rrdi")
    refused = hooks.dealer_refusal(rrdi)
    if refused:
        return refused
    v = handoff.vehicle
    refused = refusals(v.brand, v.din_power, v.usage, v.ptac_kg)
    if refused:
        return _errors(422, [{"field": r.field, "message": r.message} for r in refused])
    payload = handoff.model_dump(mode="json")
    if payload["callback_url"]:
        try:
            check_url(payload["callback_url"], callback_origins(current_app.config, g.dms))
        except UrlRefused as exc:
            return _errors(422, [{"field": "callback_url", "message": exc.message}])
    payload["callback_url"] = hooks.callback_url(payload["callback_url"])
    try:
        declaration, created = _store(db, handoff, payload)
    except IntegrityError:  # the same order sent twice at once: the first one won
        declaration, created = _existing(db, handoff), False
    return jsonify(receipt(declaration)), 201 if created else 200


def _existing(db, handoff: HandoffIn) -> Declaration | None:
    with db.transaction() as session:
        return session.scalar(select(Declaration).where(
            Declaration.source_dms == handoff.source_dms, Declaration.dealer_rrdi == handoff.dealer.rrdi,
            Declaration.dms_order_ref == handoff.dms_order_ref))


def _store(db, handoff: HandoffIn, payload: dict) -> tuple[Declaration, bool]:
    with db.transaction() as session:
        existing = session.scalar(select(Declaration).where(
            Declaration.source_dms == handoff.source_dms, Declaration.dealer_rrdi == handoff.dealer.rrdi,
            Declaration.dms_order_ref == handoff.dms_order_ref))
        if existing is not None:
            if existing.status == "pending":  # not declared yet: the DMS's corrections pre-fill the form
                existing.payload = payload
                existing.callback_url = payload["callback_url"]
            return existing, False
        declaration = Declaration(source_dms=handoff.source_dms, dms_order_ref=handoff.dms_order_ref,
                                  dealer_rrdi=handoff.dealer.rrdi, payload=payload,
                                  callback_url=payload["callback_url"], status="pending")
        session.add(declaration)
        session.flush()
        declaration.bdc_number = bdc_number(handoff.dealer.rrdi, declaration.id)
        return declaration, True


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
