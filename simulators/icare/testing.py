"""Test-only routes of Icare (mounted when TEST_ROUTES is set): put a dealer under convention."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from common.web import csrf
from simulators.icare.store import IcareDealer

bp = Blueprint("icare_testing", __name__, url_prefix="/__test__")
csrf.exempt(bp)


@bp.post("/dealers")
def create_dealer():
    """Body: code_t, rrdi, name, configuration, convention_email (address fields optional)."""
    data = request.get_json(force=True)
    with current_app.extensions["db"].transaction() as s:
        s.add(IcareDealer(code_t=data["code_t"], rrdi=data["rrdi"], name=data["name"],
                          address=data.get("address", ""), postcode=data.get("postcode", ""),
                          city=data.get("city", ""), configuration=data.get("configuration", "assurance"),
                          convention_email=data["convention_email"]))
    return jsonify({"code_t": data["code_t"]}), 201
