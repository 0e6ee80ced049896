"""Test-only routes of Icare (``common.testing``): put a dealer under convention; a portal account of
the test's own, administrator of a dealer, to log in without the « Mot de passe oublié ? » mails (at most
a few an hour per address: runs played again on one stack would use them up)."""
from __future__ import annotations

from flask import current_app, jsonify
from sqlalchemy import select

from common.auth import hash_password
from common.testing import body, test_blueprint
from common.web import error_response
from simulators.icare.portal_store import RIGHTS, Membership, PortalUser
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


@bp.post("/portal-users")
def create_portal_user():
    """Body: email, password, rrdi (a dealer under convention), optional last_name. An active portal
    account with every right, administrator of that dealer."""
    data = body()
    with current_app.extensions["db"].transaction() as s:
        dealer = s.scalar(select(IcareDealer).where(IcareDealer.rrdi == data["rrdi"]))
        if dealer is None:
            return error_response(400, f"Aucun point de vente sous convention pour le RRDI {data['rrdi']}.", "rrdi")
        user = PortalUser(email=data["email"].lower(), last_name=data.get("last_name", dealer.name),
                          first_name="Administrateur", password_hash=hash_password(data["password"]))
        user.memberships.append(Membership(code_t=dealer.code_t, rights=list(RIGHTS), is_admin=True))
        s.add(user)
    return jsonify({"email": data["email"].lower(), "code_t": dealer.code_t}), 201


@bp.delete("/public-forms")
def forget_public_forms():
    """The calling client's sendings of the public forms (a repairer's account request) no longer count
    against their hourly bound: the browser suites, from one address, call it once a run."""
    from common.sessions import forget_public_forms as forget
    from simulators.icare.portal_store import LoginAttempt
    with current_app.extensions["db"].transaction() as tx:
        return jsonify({"forgotten": forget(tx, LoginAttempt)})
