"""Icare / Services.Spoticar: the warranty manager's contract API (and, later, its portal)."""
from __future__ import annotations

from flask import Flask

from common import keys
from common.auth import key_digest
from common.db import Database, database_url
from common.testing import mount_test_routes
from common.web import make_app
from fixtures import reference
from simulators.icare import claims, pages, portal_store  # noqa: F401  (portal tables, before create_all)
from simulators.icare.store import Base, IcareDealer

def create_app(config: dict | None = None) -> Flask:
    app = make_app(__name__, config)
    onboarded = None
    if app.config.get("CONFIG_FILE"):  # a real deployment: the same file as the centralisateur's
        from common.onboarding import load
        onboarded = load(app.config["CONFIG_FILE"])
        app.config.setdefault("ICARE_SERVICE_KEY", onboarded.icare_service_key)
    app.config["ICARE_SERVICE_KEY_DIGEST"] = key_digest(keys.icare_service_key(app.config))
    db = Database(database_url(app.config, "icare"), Base)
    db.create_all()
    db.init_app(app)
    if onboarded is not None:
        _convention(app, onboarded.dealers)
    from simulators.icare import api
    app.register_blueprint(api.bp)
    from simulators.icare import psa_insurance
    app.register_blueprint(psa_insurance.bp)
    mount_test_routes(app, "simulators.icare.testing")  # imported only when mounted (Faker etc.)
    from simulators.icare import portal
    portal.register(app)
    app.extensions["harness_stop"] = db.dispose
    return app


def _convention(app: Flask, dealers) -> None:
    """The configured dealers are under convention (their email receives the portal's mails)."""
    with app.extensions["db"].transaction() as session:
        for d in dealers:
            dealer = session.get(IcareDealer, d.code_t) or IcareDealer(code_t=d.code_t)
            dealer.rrdi, dealer.name, dealer.configuration = d.rrdi, d.name, d.configuration
            dealer.address, dealer.postcode, dealer.city = d.address, d.postcode, d.city
            dealer.convention_email = d.email or d.login
            session.add(dealer)


def seed_demo(app: Flask, seed: int = 0) -> None:
    """Every demo dealer under convention, with its configuration and convention email."""
    with app.extensions["db"].transaction() as session:
        for d in reference.demo_dealers():
            if session.get(IcareDealer, d["code_t"]) is None:
                session.add(IcareDealer(code_t=d["code_t"], rrdi=d["rrdi"], name=d["name"],
                                        address=d["address"], postcode=d["postcode"], city=d["city"],
                                        configuration=d["configuration"],
                                        convention_email=d["convention_email"]))
    from simulators.icare import portal
    portal.seed_portal(app)


def demo_info(app: Flask) -> list[str]:
    from simulators.icare import portal
    return [f"API contrats : Authorization: Bearer {keys.icare_service_key(app.config)} (clé de service)",
            *portal.portal_info()]
