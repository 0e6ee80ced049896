"""Stellantis Portail B2B simulator (seed 004): company presentation, access by COFOR, personal login,
lost identifiant / password, ASL Tiers reset, Aide & Contact mailing the assistance outbox."""
from __future__ import annotations

from flask import Flask

from common import keys
from fixtures.prepared import demo_password_hash
from common.db import Database, database_url
from common.testing import mount_test_routes
from common.web import make_app
from fixtures import reference
from simulators.portail_b2b import forms
from simulators.portail_b2b.store import Base, PortalUser, Supplier, SupplierSite, outbox

STATE_LABELS = {"not_presented": "non présentée", "presented": "présentée, sans accès",
                "access_requested": "demande d'accès en cours", "access_open": "accès ouvert, sans utilisateur",
                "with_users": "avec utilisateurs"}

DEFAULTS = {
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,   # any body but the contact form's
    "B2B_SCREENSHOT_MAX_BYTES": 2 * 1024 * 1024,  # checked with the field's message, what was typed kept
    # the contact form with its screenshot: up to 32 MB read, each file's first bytes kept (the
    # screenshot's limit and one more: enough to tell it is over), the rest dropped as it comes
    "UPLOAD_MAX_BODY": 32 * 1024 * 1024,
    "UPLOAD_ENDPOINTS": ("helpdesk.contact",),  # every other form keeps 8 MB
    "B2B_MAX_LOGIN_FAILURES": 5,
    "B2B_LOCK_MINUTES": 15,
}


def create_app(config: dict | None = None) -> Flask:
    """The portal app; the outbox page (``/outbox``) is mounted in demo or test mode only."""
    app = make_app(__name__, config, DEFAULTS)
    app.config.setdefault("UPLOAD_KEPT_BYTES", app.config["B2B_SCREENSHOT_MAX_BYTES"] + 1)
    db = Database(database_url(app.config, "portail_b2b"), Base)
    db.create_all()
    db.init_app(app)
    from simulators.portail_b2b.views import access, account, helpdesk
    for module in (access, account, helpdesk):
        app.register_blueprint(module.bp)
    if app.config.get("DEMO_MODE") or app.config.get("TEST_ROUTES"):
        app.register_blueprint(outbox.blueprint(
            db, title="Boîte d'envoi — assistance du Portail B2B", layout="portail_b2b/layout.html"))
    mount_test_routes(app, "simulators.portail_b2b.testing")  # imported only when mounted (Faker etc.)
    app.jinja_env.globals["b2b_form"] = forms.shown
    app.context_processor(lambda: {"outbox_enabled": "outbox" in app.blueprints,
                                   "signed_in": account.signed_in})
    app.extensions["harness_stop"] = db.dispose
    return app


def seed_demo(app: Flask, seed: int = 0) -> None:
    """The suppliers of ``fixtures/data/portail_b2b.json``, one per state, and their users."""
    data = reference.load("portail_b2b")
    with app.extensions["db"].transaction() as session:
        for s in data["suppliers"]:
            if session.get(Supplier, s["cofor"]) is not None:
                continue
            session.add(Supplier(cofor=s["cofor"], name=s["name"], siret=s["siret"], state=s["state"],
                                 address=s["address"], postcode=s["postcode"], city=s["city"],
                                 country=s["country"], activity=s["activity"]))
            session.flush()
            for site in s["sites"]:
                session.add(SupplierSite(cofor=s["cofor"], code=site["code"], name=site["name"]))
            for u in s.get("users", []):
                session.add(PortalUser(identifiant=u["identifiant"], cofor=s["cofor"],
                                       first_name=u["first_name"], last_name=u["last_name"],
                                       email=u["email"], phone=u["phone"], asl_tiers=u["asl_tiers"],
                                       password_hash=demo_password_hash(f"portail_b2b:{u['identifiant']}",
                                                                        data["demo_password"])))


def demo_info(app: Flask) -> list[str]:
    """COFOR per state, the demo identifiants and their password, the outbox page."""
    data = reference.load("portail_b2b")
    lines = ["COFOR de démo : " + ", ".join(f"{s['cofor']} ({STATE_LABELS[s['state']]})"
                                          for s in data["suppliers"])]
    users = [u for s in data["suppliers"] for u in s.get("users", [])]
    lines.append("Identifiants : " + ", ".join(
        u["identifiant"] + (" (ASL Tiers)" if u["asl_tiers"] else "") for u in users)
        + f" — mot de passe : {keys.demo_b2b_password()}")
    lines.append("Boîte d'envoi (assistance, mots de passe) : /outbox")
    return lines
