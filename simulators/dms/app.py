"""What a DMS simulator app is made of (Bee2link, NeoVO): its own store, its screens and callback API,
its ``/__test__`` routes; its demo sites."""
from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from common import static
from common.db import Database, database_url
from common.testing import mount_test_routes
from common.web import make_app
from fixtures import reference


@dataclass(frozen=True)
class DmsApp:
    """A DMS simulator app: ``package`` (its ``testing`` module is mounted in test mode), the DMS's
    name, its store's ``base``, the reference data listing its demo
    ``sites``, its template ``filters``, its ``blueprints`` ("module:name", imported once the app is made)
    and its demo ``seeder`` ("module:name" of a ``seeder(session, seed, today)``)."""

    package: str
    dms: str
    base: type
    sites: str
    filters: dict[str, Callable]
    blueprints: tuple[str, ...]
    seeder: str

    def dealers(self) -> list[dict]:
        """The demo dealers of the DMS (first one = default site), then the sites of config
        ``EXTRA_SITES`` (e.g. a certification session's dealer: ``[{"rrdi", "name", …}]``)."""
        from simulators.dms.sites import with_extra_sites
        return with_extra_sites([reference.demo_dealer(rrdi) for rrdi in reference.load(self.sites)["dealers"]])

    def create_app(self, config: dict | None = None) -> Flask:
        """The app: its own store, its screens, its declaration and callback API."""
        app = make_app(self.package, config)
        db = Database(database_url(app.config, self.dms), self.base)
        db.create_all()
        db.init_app(app)
        app.jinja_env.filters.update(self.filters)
        static.install_shared(app)  # /commun/: the scripts every DMS page shares
        for blueprint in self.blueprints:
            app.register_blueprint(_imported(blueprint))
        mount_test_routes(app, f"{self.package}.testing")  # imported only when mounted (Faker etc.)
        from simulators.dms.handoff import bind_traces
        bind_traces(app, db, self.base)  # its pages join a sale's trace on any worker
        app.extensions["harness_stop"] = db.dispose
        return app

    def seed_demo(self, app: Flask, seed: int = 0) -> None:
        """The demo data of the seed and Faker, in one transaction of the app's store."""
        with app.extensions["db"].transaction() as session:
            _imported(self.seeder)(session, seed, dt.date.today())


def _imported(path: str):
    """The object ``module:name`` names."""
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def sites_line(sites: list[dict]) -> str:
    """« RRDI name, … » as ``up`` prints a DMS's demo sites."""
    return ", ".join(f"{d['rrdi']} {d['name']}" for d in sites)
