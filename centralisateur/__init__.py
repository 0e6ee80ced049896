"""The reference centralisateur (CDS): hand-off API, declaration UI, rules, store."""
from __future__ import annotations

import os

from flask import Flask
from sqlalchemy import select

from common import keys
from common.auth import key_digest
from common.db import Database, database_url
from common.journal.registry import DEFAULT_EXCLUDE as JOURNAL_EXCLUDE
from common.testing import mount_test_routes
from common.web import make_app
from centralisateur.store import Base, Dealer, DealerUser, DmsClient
from certification.exchanges import SESSION_HEADER
from fixtures import reference
from fixtures.prepared import demo_password_hash

def create_app(config: dict | None = None) -> Flask:
    app = make_app(__name__, config, defaults={"ICARE_TIMEOUT": 5.0, "WORKER_INTERVAL": 1.0,
                                               # RGPD pages list and export personal data: not journalled
                                               "JOURNAL_EXCLUDE": JOURNAL_EXCLUDE + ("/rgpd",),
                                               # a certification session's exchanges, found by their mark
                                               "JOURNAL_MARK_HEADER": SESSION_HEADER})
    onboarded = None
    if app.config.get("CONFIG_FILE"):  # dealers and keys of a real deployment (pydantic: only then)
        from centralisateur import onboarding
        onboarded = onboarding.apply_to_config(app.config)
    app.config["ICARE_SERVICE_KEY"] = keys.icare_service_key(app.config, required=False) or ""
    app.config.setdefault("PUBLIC_URL", "http://127.0.0.1:8000")
    # how many days after its delivery a sale can still be declared (rule 4)
    app.config.setdefault("MAX_DAYS_AFTER_DELIVERY", int(os.environ.get("SPOTICAR_MAX_DAYS_AFTER_DELIVERY", "30")))
    app.config["DMS_KEYS"] = keys.dms_keys(app.config)
    from certification import store as _certification_tables  # noqa: F401  (tables, before create_all)
    db = Database(database_url(app.config, "centralisateur"), Base)
    db.create_all()
    db.init_app(app)
    _sync_dms_clients(db, app.config["DMS_KEYS"])
    if onboarded is not None:
        onboarding.sync_dealers(db, onboarded)

    from centralisateur import api, api_store, apv, backoffice, declare, exchanges, home, profile, session
    from certification import hooks, web as certification_web
    for blueprint in (api.bp, session.bp, home.bp, profile.bp, declare.bp, backoffice.bp, apv.bp, exchanges.bp,
                      certification_web.bp, certification_web.api):
        app.register_blueprint(blueprint)
    app.after_request(hooks.finish)
    mount_test_routes(app, "centralisateur.testing")  # imported only when mounted (Faker etc.)

    from centralisateur.home import STATUS_LABELS
    from centralisateur.home import menu
    from centralisateur.session import current_dealer
    app.jinja_env.globals.update(current_dealer=current_dealer, status_labels=STATUS_LABELS, menu=menu)

    from common.group_commit import GroupCommitter
    app.extensions["handoff_writer"] = GroupCommitter(db.engine, "handoff-writer")
    stops = [app.extensions["handoff_writer"].stop, db.dispose]
    if app.config.get("BACKGROUND_JOBS"):
        from centralisateur.worker import Worker
        worker = Worker(app, app.config["WORKER_INTERVAL"]).start()
        app.extensions["worker"] = worker
        stops.insert(0, worker.stop)
    app.extensions["harness_stop"] = lambda: [stop() for stop in stops]
    from common.journal import bind_lookup
    bind_lookup(app, api_store.trace_binding(db))  # the browser joins its sale's trace on any worker
    _mount_lean_handoffs(app)  # its check of the request hooks runs at the first hand-off
    return app


def _mount_lean_handoffs(app: Flask) -> None:
    """The common hand-off answered before Flask (``centralisateur.api_lean``), inside the journal's
    capture so it is traced, journalled and logged like any request."""
    from centralisateur.api_lean import LeanHandoffs
    from common.journal.capture import JournalMiddleware
    capture = app.wsgi_app
    if not isinstance(capture, JournalMiddleware):
        raise TypeError("the journal's capture must wrap the centralisateur (common.web.make_app)")
    capture.wsgi_app = LeanHandoffs(app, capture.wsgi_app)


def _sync_dms_clients(db: Database, keys: dict[str, str]) -> None:
    """The DMS clients known to the API are exactly those with a configured key."""
    wanted = {name: key_digest(key) for name, key in keys.items()}
    with db.read_engine.connect() as conn:  # a restart with the same keys writes nothing, compiles nothing
        if dict(conn.exec_driver_sql(f"SELECT name, key_digest FROM {DmsClient.__tablename__}").all()) == wanted:
            return
    with db.transaction() as s:
        for client in s.scalars(select(DmsClient)):
            if client.name not in keys:
                s.delete(client)
        s.flush()
        for name, key in keys.items():
            client = s.get(DmsClient, name)
            if client is None:
                s.add(DmsClient(name=name, key_digest=key_digest(key)))
            else:
                client.key_digest = key_digest(key)


def demo_password(dealer: dict) -> str:
    return keys.demo_dealer_password(dealer["rrdi"])


def seed_demo(app: Flask, seed: int = 0) -> None:
    """The demo dealers of SPEC §9 and one login each (profiles left to configure, as in seed 000)."""
    configured = bool(app.config.get("DEMO_PROFILES_CONFIGURED"))
    dealers = reference.demo_dealers()
    hashes = {d["rrdi"]: demo_password_hash(f"centralisateur:{d['login']}", demo_password(d)) for d in dealers}
    with app.extensions["db"].transaction() as s:
        for d in dealers:
            if s.get(Dealer, d["rrdi"]) is not None:
                continue
            s.add(Dealer(rrdi=d["rrdi"], name=d["name"], address=d["address"], postcode=d["postcode"],
                         city=d["city"], phone=d["phone"], email=d["email"], code_t=d["code_t"],
                         cirano_id=d["cirano_id"], dms=d["dms"], configuration=d["configuration"],
                         profile_configured=configured,
                         use_stellantis=configured and d["configuration"] in ("assurance", "gestion_deleguee"),
                         use_auto=configured and d["configuration"] == "auto_assurance",
                         use_cirano=configured and d["configuration"] == "autre_garantisseur"))
            s.flush()
            s.add(DealerUser(email=d["login"], password_hash=hashes[d["rrdi"]],
                             dealer_rrdi=d["rrdi"]))


def demo_info(app: Flask) -> list[str]:
    lines = ["API : POST /api/v1/handoffs — OpenAPI : /api/v1/openapi.json"]
    for name, key in app.config["DMS_KEYS"].items():
        lines.append(f"clé d'API DMS {name:<9} Authorization: Bearer {key}")
    for d in reference.demo_dealers():
        lines.append(f"{d['rrdi']} {d['name']:<32} ({d['dms']}) connexion {d['login']} / {demo_password(d)}")
    return lines
