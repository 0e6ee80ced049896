"""Tec3H simulator (seed 001): stock, vehicle creation from the referential, customers, orders,
Gestion > Ventes, and the Spoticar warranty hand-off to the centralisateur."""
from __future__ import annotations

from flask import Flask, redirect, url_for

from common import static
from common.db import Database, database_url
from common.testing import mount_test_routes
from common.web import make_app
from fixtures import reference
from simulators.dms.keys import dms_api_key

DMS = "tec3h"


def dealer(config: dict) -> dict:
    """The dealer this Tec3H instance belongs to (AXILOG DEMO by default)."""
    rrdi = config.get("TEC3H_RRDI") or reference.load("tec3h_stock")["dealer_rrdi"]
    return reference.demo_dealer(rrdi) or {"rrdi": rrdi, "name": rrdi}


def create_app(config: dict | None = None) -> Flask:
    """The Tec3H Flask app; ``config`` needs DATA_DIR and URLS["centralisateur"] for the hand-off."""
    from simulators.tec3h import customers, orders, sales, stock, store, warranty
    from common.journal.registry import DEFAULT_EXCLUDE
    from simulators.dms.events import PREFIX as EVENT_STREAMS
    # an event stream stays open for a minute: journalled, it would hold up every journal read
    app = make_app(__name__, config, defaults={"HANDOFF_TIMEOUT": 10.0,
                                               "JOURNAL_EXCLUDE": DEFAULT_EXCLUDE + (EVENT_STREAMS,)})
    app.config["TEC3H_API_KEY"] = dms_api_key(app.config, DMS)
    app.config["TEC3H_DEALER"] = dealer(app.config)
    db = Database(database_url(app.config, DMS), store.Base)
    db.create_all()
    db.init_app(app)
    for module in (stock, customers, orders, sales, warranty):
        app.register_blueprint(module.bp)
    static.install_shared(app)  # /commun/: the scripts every DMS page shares
    mount_test_routes(app, "simulators.tec3h.testing")  # imported only when mounted (Faker etc.)
    from simulators.dms.handoff import bind_traces
    bind_traces(app, db, store.Base)  # its pages join a sale's trace on any worker
    if app.config.get("TEST_ROUTES"):
        from simulators.tec3h import certification_routes
        app.register_blueprint(certification_routes.bp)
    app.extensions["harness_stop"] = db.dispose

    @app.context_processor
    def _globals():
        contacts = reference.support_contacts()
        dms = [c for c in contacts["dms_and_cds"] if c["dms"] in (DMS, None)]
        return {"dealer": app.config["TEC3H_DEALER"],
                "support": [*dms, {"name": "Icare", **contacts["icare"]}]}

    @app.get("/")
    def home():
        return redirect(url_for("stock.stock_list"))

    return app


def seed_demo(app: Flask, seed: int = 0) -> None:
    """AXILOG DEMO's stock (the seed's vehicles and generated ones), customers and one order."""
    from simulators.tec3h.demo import seed_demo as _seed
    _seed(app, seed)


def demo_info(app: Flask) -> list[str]:
    d = app.config["TEC3H_DEALER"]
    return [f"Concession : {d['name']} ({d['rrdi']}) — pas de connexion en mode démo",
            "Stock : /stock  ·  Gestion clients : /clients  ·  Gestion > Ventes : /ventes",
            "Véhicule de démonstration avec commande : DL-342-MP (Peugeot 308 SW)",
            f"Clé API centralisateur : {app.config['TEC3H_API_KEY']}"]
