"""Test-only routes of Icare (``common.testing``): put a dealer under convention."""
from __future__ import annotations

from flask import current_app, jsonify

from common.testing import body, test_blueprint
from simulators.icare.store import IcareDealer

bp = test_blueprint("icare")


@bp.post("/dealers")
def create_dealer():
    """Body: code_t, rrdi, name, configuration, convention_email (address fields optional)."""
    data = body()
    with current_app.extensions["db"].transaction() as s:
        s.add(IcareDealer(code_t=data["code_t"], rrdi=data["rrdi"], name=data["name"],
                          address=data.get("address", ""), postcode=data.get("postcode", ""),
                          city=data.get("city", ""), configuration=data.get("configuration", "assurance"),
                          convention_email=data["convention_email"]))
    return jsonify({"code_t": data["code_t"]}), 201
