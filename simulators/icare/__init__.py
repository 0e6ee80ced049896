"""Icare / Services.Spoticar: the warranty manager's contract API (and, later, its portal)."""
from __future__ import annotations

from flask import Flask

from common import keys
from common.auth import key_digest
from common.db import Database, database_url
from common.testing import mount_test_routes
from common.web import make_app
from fixtures import reference
from simulators.icare import outbox, portal_store  # noqa: F401  (portal tables, before create_all)
from simulators.icare.store import Base, IcareDealer

def create_app(config: dict | None = None) -> Flask:
    app = make_app(__name__, config)
    app.config["ICARE_SERVICE_KEY_DIGEST"] = key_digest(keys.icare_service_key(app.config))
    db = Database(database_url(app.config, "icare"), Base)
    db.create_all()
    db.init_app(app)
    from simulators.icare import api
    app.register_blueprint(api.bp)
    from simulators.icare import psa_insurance
    app.register_blueprint(psa_insurance.bp)
    from simulators.icare import testing
    mount_test_routes(app, testing.bp)
    from simulators.icare import portal
    portal.register(app)
    app.extensions["harness_stop"] = db.dispose
    return app


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
