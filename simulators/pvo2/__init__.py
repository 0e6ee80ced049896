"""PVO2 (Planet VO²) simulator: stock, offres et bons de commande, livraisons and the Spoticar /
PSA Insurance warranty declaration (seed 002)."""
from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from flask import Flask, redirect, url_for

from common import formats, keys, static
from common.db import Database, database_url
from common.testing import mount_test_routes
from common.web import make_app
from fixtures import reference
from simulators.dms.keys import dms_api_key
from simulators.pvo2.store import Base, Customer, Order, Site, Vehicle


def create_app(config: dict | None = None) -> Flask:
    """The PVO2 app; ``URLS["centralisateur"]`` and ``URLS["icare"]`` say where to declare."""
    app = make_app(__name__, config)
    dms_api_key(app.config, "pvo2")  # fail at start, not at the first declaration, when a key is missing
    db = Database(database_url(app.config, "pvo2"), Base)
    db.create_all()
    db.init_app(app)
    app.jinja_env.filters["euros"] = euros
    from simulators.pvo2.forms import CommentForm
    app.jinja_env.globals["comment_box"] = CommentForm.shown  # the Commentaire box of _recap.html
    app.jinja_env.filters["days_ago"] = lambda day: (dt.date.today() - day).days if day else ""
    from simulators.pvo2 import (declaring, deliveries, offer_people, offer_vehicle, offers, printing, settings,
                                 stock)
    for module in (settings, stock, offers, offer_vehicle, offer_people, deliveries, printing, declaring):
        app.register_blueprint(module.bp)
    app.register_blueprint(deliveries.streams)
    static.install_shared(app)  # /commun/: the scripts every DMS page shares
    app.jinja_env.globals["vehicle_extras"] = offer_vehicle.vehicle_extras
    from simulators.pvo2.store import outbox
    # the DMS's own record of the mails it sent, in every mode (no password reset link in it)
    app.register_blueprint(outbox.blueprint(db, title="Boîte d'envoi PVO²", guarded=False))
    mount_test_routes(app, "simulators.pvo2.testing")  # imported only when mounted (Faker etc.)
    from simulators.dms.handoff import bind_traces
    bind_traces(app, db, Base)  # its pages join a sale's trace on any worker
    if app.config.get("TEST_ROUTES"):
        from simulators.pvo2 import certification_routes
        app.register_blueprint(certification_routes.bp)

    @app.get("/")
    def home():
        return redirect(url_for("offers.index"))

    app.extensions["harness_stop"] = db.dispose
    return app


def euros(value, ht: bool = False) -> str:
    """15000 → "15 000,00 €"; ``ht`` removes the 20 % VAT (12 500,00 €)."""
    amount = Decimal(value or 0)
    return formats.euros(amount / Decimal("1.2") if ht else amount)


def psa_insurance_key(config: dict) -> str | None:
    """The key PVO2 presents to PSA Assurance (simulated on Icare); None when not configured."""
    return keys.icare_service_key(config, "PSA_INSURANCE_API_KEY", required=False)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def seed_demo(app: Flask, seed: int = 0) -> None:
    """The seed's site DEMO CDDS SPOTICAR, its stock, customers, offers and bons de commande."""
    data = reference.load("pvo2_demo")
    seller = data["seller"]["name"]
    today = dt.date.today()
    day = functools.partial(reference.demo_day, anchor=data["anchor"], today=today)
    with app.extensions["db"].transaction() as session:
        session.add(Site(**data["site"]))
        vehicles = {}
        for v in data["vehicles"]:
            row = Vehicle(**{**v, "first_registration": _date(v["first_registration"]),
                             "entry_date": day(v["entry_date"]), "last_ct": _date(v["last_ct"]),
                             "price_ttc": Decimal(v["price_ttc"])})
            session.add(row)
            vehicles[v["stock_number"]] = row
        from simulators.pvo2.demo import generated_stock
        session.add_all(generated_stock(seed, today))
        customers = {}
        for c in data["customers"]:
            row = Customer(**{k: c[k] for k in c if k != "key"})
            session.add(row)
            customers[c["key"]] = row
        session.flush()
        for o in data["orders"]:
            session.add(Order(number=o["number"], customer_id=customers[o["customer"]].id,
                              vehicle_id=vehicles[o["vehicle"]].id, seller=seller,
                              created_on=day(o["created_on"]), expires_on=day(o["expires_on"]),
                              state=o["state"], bdc_on=day(o.get("bdc_on")),
                              closed_on=day(o.get("closed_on")), delivery_date=day(o.get("delivery_date"))))


def demo_info(app: Flask) -> list[str]:
    """What ``up`` prints for PVO2."""
    return ["Site DEMO CDDS SPOTICAR (RRDI FR10350), vendeur Hakim AB — pas de connexion requise",
            "/offres (Offres et bons de commande), /stock, /livraisons, /parametres/site",
            f"Clé API centralisateur : {dms_api_key(app.config, 'pvo2')}"]
