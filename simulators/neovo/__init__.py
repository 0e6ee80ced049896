"""NeoVO (Reynolds) simulator: sale dossiers and their "Garantir" link, which hands the sale off to the
centralisateur by web service — Chrome only (seed 000, "Souscription via NeoVO")."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Flask

from common import formats, keys
from common.dates import fr_date
from common.db import Database, database_url
from common.testing import mount_test_routes
from common.web import make_app
from fixtures import reference
from simulators.neovo.store import Base

DMS = "neovo"


def dealers() -> list[dict]:
    """The demo dealers that use NeoVO (first one = default site), then config ``EXTRA_SITES``."""
    from simulators.dms.sites import with_extra_sites
    return with_extra_sites([reference.demo_dealer(rrdi) for rrdi in reference.load("neovo_dossiers")["dealers"]])


def amount(value: Decimal | None) -> str:
    """16176.5 → "16176,50", as NeoVO's pieces table shows amounts (no grouping, no symbol)."""
    return formats.euros(value, symbol=False, grouping=False)


def create_app(config: dict | None = None) -> Flask:
    """The NeoVO app: its own store, the dossier screens, Garantir and the callback API."""
    # Every app runs on 127.0.0.1 and cookies ignore the port: a name of our own keeps our session
    # (and its CSRF token) when the centralisateur sets its own.
    app = make_app(__name__, config)
    db = Database(database_url(app.config, DMS), Base)
    db.create_all()
    db.init_app(app)
    app.jinja_env.filters["amount"] = amount
    app.jinja_env.filters["fr_date"] = fr_date
    from simulators.neovo import views
    app.register_blueprint(views.bp)
    app.register_blueprint(views.api)
    mount_test_routes(app, "simulators.neovo.testing")  # imported only when mounted (Faker etc.)
    if app.config.get("TEST_ROUTES"):
        from simulators.neovo import certification_routes
        app.register_blueprint(certification_routes.bp)
    app.extensions["harness_stop"] = db.dispose
    return app


def seed_demo(app: Flask, seed: int = 0) -> None:
    """Dossier V0000004 of the seed and Faker dossiers for 038421N and 069870K."""
    from simulators.neovo.demo import seed_dossiers
    with app.extensions["db"].transaction() as session:
        seed_dossiers(session, seed, dt.date.today())


def demo_info(app: Flask) -> list[str]:
    """What ``up`` prints for NeoVO: paths, demo sites and dossier, API key."""
    sites = ", ".join(f"{d['rrdi']} {d['name']}" for d in dealers())
    return [f"MENU des dossiers : / (sites : {sites})",
            "Dossier de démo : /dossiers/V0000004 (PEUGEOT 208 1.6 BlueHDi 75ch Active 5p) → Garantir",
            "Navigateur : Chrome uniquement pour Garantir",
            f"Clé API centralisateur : {keys.dms_key(app.config, DMS)}"]
