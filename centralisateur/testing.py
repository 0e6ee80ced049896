"""Test-only routes (mounted when TEST_ROUTES is set): make a fresh dealer, read a declaration."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy import select

from centralisateur.store import Dealer, Declaration, DealerUser
from common.auth import hash_password
from common.web import csrf

bp = Blueprint("testing", __name__, url_prefix="/__test__")
csrf.exempt(bp)


@bp.post("/dealers")
def create_dealer():
    """Body: rrdi, name, dms, code_t, configuration, login, password, optional profile flags."""
    data = request.get_json(force=True)
    with current_app.extensions["db"].transaction() as s:
        s.add(Dealer(rrdi=data["rrdi"], name=data["name"], address=data.get("address", "1, rue du Test"),
                     postcode=data.get("postcode", "75010"), city=data.get("city", "PARIS"),
                     phone=data.get("phone", ""), email=data.get("email", ""), code_t=data.get("code_t"),
                     cirano_id=data.get("cirano_id"), dms=data["dms"],
                     configuration=data.get("configuration", "assurance"),
                     profile_configured=data.get("profile_configured", False),
                     use_stellantis=data.get("use_stellantis", False), use_auto=data.get("use_auto", False),
                     use_cirano=data.get("use_cirano", False)))
        s.flush()
        s.add(DealerUser(email=data["login"], password_hash=hash_password(data["password"]),
                         dealer_rrdi=data["rrdi"]))
    return jsonify({"rrdi": data["rrdi"]}), 201


@bp.post("/callback-origins")
def allow_callback_origin():
    """Body: dms, origin — a test's own callback receiver (127.0.0.1, port picked by the OS) that
    the SSRF guard (common.egress) lets ``dms`` use, as real-mode configuration would."""
    data = request.get_json(force=True)
    origins = current_app.config.setdefault("DMS_CALLBACK_ORIGINS", {})
    origins.setdefault(data["dms"], []).append(data["origin"])
    return jsonify({"dms": data["dms"], "origins": origins[data["dms"]]}), 201


@bp.get("/declarations/<bdc_number>")
def declaration(bdc_number: str):
    d = current_app.extensions["db"].session.scalar(
        select(Declaration).where(Declaration.bdc_number == bdc_number))
    if d is None:
        abort(404)
    return jsonify({"bdc_number": d.bdc_number, "status": d.status, "contract_number": d.contract_number,
                    "garantisseur": d.garantisseur, "program": d.program, "form": d.form,
                    "payload": d.payload, "icare_attempts": d.icare_attempts,
                    "callback_due": d.callback_due, "callback_attempts": d.callback_attempts})
