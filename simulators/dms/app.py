"""What a DMS simulator app is made of (Bee2link, NeoVO): its own store, its screens and callback API,
its ``/__test__`` routes and, with test routes, the certification's routes; its demo sites."""
from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable

from flask import Blueprint, Flask

from common.db import Database, database_url
from common.testing import mount_test_routes
from common.web import make_app
from fixtures import reference


def create_dms_app(package: str, dms: str, base, config: dict | None, *, filters: dict[str, Callable],
                   blueprints: Callable[[], Iterable[Blueprint]]) -> Flask:
    """The app of DMS ``dms`` whose code is ``package`` (its ``testing`` and ``certification_routes``
    modules are mounted in test mode); ``blueprints`` is called once the app exists (lazy imports)."""
    app = make_app(package, config)
    db = Database(database_url(app.config, dms), base)
    db.create_all()
    db.init_app(app)
    app.jinja_env.filters.update(filters)
    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    mount_test_routes(app, importlib.import_module(f"{package}.testing").bp)
    if app.config.get("TEST_ROUTES"):
        app.register_blueprint(importlib.import_module(f"{package}.certification_routes").bp)
    app.extensions["harness_stop"] = db.dispose
    return app


def demo_sites(data: str) -> list[dict]:
    """The demo dealers listed in reference data ``data`` (first one = default site), then the sites
    of config ``EXTRA_SITES`` (e.g. a certification session's dealer: ``[{"rrdi", "name", …}]``)."""
    from simulators.dms.sites import with_extra_sites
    return with_extra_sites([reference.demo_dealer(rrdi) for rrdi in reference.load(data)["dealers"]])


def seed_with(app: Flask, seeder: Callable, seed: int) -> None:
    """Run ``seeder(session, seed, today)`` in one transaction of the app's store."""
    with app.extensions["db"].transaction() as session:
        seeder(session, seed, dt.date.today())


def sites_line(sites: list[dict]) -> str:
    """« RRDI name, … » as ``up`` prints a DMS's demo sites."""
    return ", ".join(f"{d['rrdi']} {d['name']}" for d in sites)
