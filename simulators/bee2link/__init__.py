"""Bee2link simulator: the VO pipeline, vehicle cards with their orders, and the Déclaration SPOTICAR
hand-off from the delivery page's Services externes (seed 000, "Souscription via Bee2link")."""
from __future__ import annotations

import datetime as dt

from flask import Flask

from common import keys
from common.db import Database, database_url
from common.testing import mount_test_routes
from common.web import make_app
from fixtures import reference
from simulators.bee2link.handoff import euros
from simulators.bee2link.store import Base

DMS = "bee2link"


def dealers() -> list[dict]:
    """The demo dealers that use Bee2link (first one = default site), then the sites of config
    ``EXTRA_SITES`` (e.g. a certification session's dealer: ``[{"rrdi", "name", …}]``)."""
    from simulators.dms.sites import with_extra_sites
    return with_extra_sites([reference.demo_dealer(rrdi) for rrdi in reference.load("bee2link_stock")["dealers"]])


def create_app(config: dict | None = None) -> Flask:
    """The Bee2link app: its own store, the pipeline screens, the declaration and the callback API."""
    # Every app runs on 127.0.0.1 and cookies ignore the port: a name of our own keeps our session
    # (and its CSRF token) when the centralisateur sets its own.
    app = make_app(__name__, config)
    db = Database(database_url(app.config, DMS), Base)
    db.create_all()
    db.init_app(app)
    app.jinja_env.filters["euros"] = euros
    from common.dates import fr_date
    app.jinja_env.filters["fr_date"] = fr_date
    from simulators.bee2link import declare, views
    app.register_blueprint(views.bp)
    app.register_blueprint(declare.bp)
    app.register_blueprint(declare.api)
    mount_test_routes(app, "simulators.bee2link.testing")  # imported only when mounted (Faker etc.)
    if app.config.get("TEST_ROUTES"):
        from simulators.bee2link import certification_routes
        app.register_blueprint(certification_routes.bp)
    app.extensions["harness_stop"] = db.dispose
    return app


def seed_demo(app: Flask, seed: int = 0) -> None:
    """The seed's DS4 order n°4586 and a Faker stock along the pipeline for 020319L and 013250C."""
    from simulators.bee2link.demo import seed_stock
    with app.extensions["db"].transaction() as session:
        seed_stock(session, seed, dt.date.today())


def demo_info(app: Flask) -> list[str]:
    """What ``up`` prints for Bee2link: paths, demo sites and order, API key."""
    sites = ", ".join(f"{d['rrdi']} {d['name']}" for d in dealers())
    return [f"Pipeline VO : /vo (sites : {sites})",
            "Commande de démo : DS DS4 BlueHDI 120 S&S BVM6 Chic, commande n°4586 (/vo/commandes/4586)",
            f"Clé API centralisateur : {keys.dms_key(app.config, DMS)}"]
