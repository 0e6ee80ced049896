"""Services.Spoticar portal: wires its blueprints, template globals, outage switches and demo data."""
from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select

from common import keys
from fixtures import reference
from fixtures.prepared import demo_password_hash
from simulators.icare import accounts_views, claims, documents_views, faults, pages, portal_auth, portal_views
from simulators.icare.passwords import set_password
from simulators.icare.portal_session import portal_context
from simulators.icare.portal_store import RIGHTS, Membership, PortalUser
from simulators.icare.store import outbox

DEMO_ADMIN_RRDI = "953617Z"  # AXILOG DEMO: its administrator is ready to log in; others use the reset


def register(app: Flask) -> None:
    """Mount the portal on the Icare app (the outbox only in demo/test mode)."""
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", dt.timedelta(days=30))
    for bp in (portal_auth.bp, portal_views.bp, accounts_views.bp, documents_views.bp, claims.bp, pages.bp):
        app.register_blueprint(bp)
    if app.config.get("DEMO_MODE") or app.config.get("TEST_ROUTES"):
        app.register_blueprint(outbox.blueprint(app.extensions["db"], title="Boîte mail simulée",
                                                layout="icare/outbox_layout.html"))
    app.context_processor(portal_context)
    faults.install(app)


def seed_portal(app: Flask) -> None:
    """The demo administrator of AXILOG DEMO, with the demo password of fixtures/data/icare_billing.json."""
    dealer = reference.demo_dealer(DEMO_ADMIN_RRDI)
    email = dealer["convention_email"].lower()
    with app.extensions["db"].transaction() as session:
        if session.scalar(select(PortalUser).where(PortalUser.email == email)) is not None:
            return
        user = PortalUser(email=email, last_name=dealer["name"], first_name="Administrateur")
        user.memberships.append(Membership(code_t=dealer["code_t"], rights=list(RIGHTS), is_admin=True))
        session.add(user)
        session.flush()
        password = keys.demo_icare_password()
        set_password(session, user, password, demo_password_hash(f"icare:{email}", password))


def portal_info() -> list[str]:
    """Lines printed by ``up``: the portal, the demo login and the convention emails."""
    admin = reference.demo_dealer(DEMO_ADMIN_RRDI)
    lines = ["Portail Services.Spoticar : /connexion — boîte mail simulée : /outbox",
             f"  administrateur démo : {admin['convention_email']} / "
             f"{keys.demo_icare_password()}",
             "  autres concessions : « Mot de passe oublié ? » avec l'email de convention :"]
    lines += [f"    {d['code_t']} {d['name']} : {d['convention_email']}"
              for d in reference.demo_dealers() if d["rrdi"] != DEMO_ADMIN_RRDI]
    lines.append("  pannes simulées de l'API contrats : PUT/GET/DELETE /admin/faults")
    return lines
