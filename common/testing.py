"""Test-only routes (``/__test__/…``), the way cypress-realworld-app has its testdata routes: one small
blueprint per app (create, read, run due jobs), mounted only when the app runs with ``TEST_ROUTES``
(``spoticar-harness up --test-routes``, the suites' own stack). Never used by the product's pages.

They read and change anything (the raw store, the callback origins the SSRF guard allows): open in
demo mode, like ``/__admin/journal``; outside it (``up --config``, ``--no-demo``: a certification lab
vendors reach) each request must carry the stack's test-routes key, ``X-Spoticar-Test-Key`` — the
``TEST_ROUTES_KEY`` setting or ``SPOTICAR_TEST_ROUTES_KEY``, which ``up`` generates when unset and
prints, for the certifier alone."""
from __future__ import annotations

import hmac
import importlib
import os

from flask import Blueprint, Flask, abort, current_app, jsonify, request
from sqlalchemy import select

from common import keys
from common.web import csrf, error_response

PREFIX = "/__test__"
KEY_HEADER, KEY_ENV = keys.TEST_KEY_HEADER, keys.TEST_KEY_ENV
KEY_MISSING = (f"Routes de test réservées : envoyez l'en-tête {KEY_HEADER} avec la clé des routes de test "
               "de la pile (affichée par « spoticar-harness up »).")
KEY_NOT_CONFIGURED = (f"Routes de test fermées : aucune clé n'est configurée hors mode démo (TEST_ROUTES_KEY "
                      f"ou {KEY_ENV}).")


def test_routes_key(config) -> str | None:
    """The key test routes ask for outside demo mode (the setting, else the environment), or None."""
    return config.get("TEST_ROUTES_KEY") or os.environ.get(KEY_ENV) or None


def test_routes_headers(config) -> dict[str, str]:
    """What an app sends another app's test routes (the certification's switches at Icare)."""
    return keys.test_key_headers(None if config.get("DEMO_MODE") else test_routes_key(config))


def test_key_given(config) -> bool:
    """Whether the request carries the configured test routes' key (False when none is configured)."""
    key = test_routes_key(config)
    return bool(key) and hmac.compare_digest(request.headers.get(KEY_HEADER, "").encode(), key.encode())


def guard_test_routes():
    """``before_request`` of every test-route blueprint: open in demo mode; otherwise the stack's key."""
    config = current_app.config
    if config.get("DEMO_MODE"):
        return None
    key = test_routes_key(config)
    # JSON whatever the request: the callers are suites and the apps themselves
    if key is None:
        return jsonify({"errors": [{"field": None, "message": KEY_NOT_CONFIGURED}]}), 403
    if not test_key_given(config):
        return jsonify({"errors": [{"field": None, "message": KEY_MISSING}]}), 401
    return None


def test_blueprint(app_name: str, url_prefix: str = PREFIX) -> Blueprint:
    """An app's test-route blueprint (``/__test__``, exempt from CSRF: the callers are test suites),
    guarded by ``guard_test_routes``."""
    bp = Blueprint(f"{app_name}_testing", __name__, url_prefix=url_prefix)
    csrf.exempt(bp)
    bp.before_request(guard_test_routes)
    bp.register_error_handler(KeyError, lambda exc: error_response(400, f"Champ manquant : {exc.args[0]}."))
    for kind in (ValueError, TypeError, AttributeError, ArithmeticError, LookupError):  # a seed "x"…
        bp.register_error_handler(kind, _malformed)
    from sqlalchemy.exc import IntegrityError, StatementError
    bp.register_error_handler(StatementError, _malformed)  # a list where the table holds text
    bp.register_error_handler(IntegrityError, lambda exc: error_response(
        409, "Enregistrement en conflit avec un existant (identifiant déjà pris ou référence inconnue)."))
    bp.add_url_rule("/journal/raw", "journal_raw", journal_raw)
    return bp


def _malformed(exc: Exception):
    import logging
    logging.getLogger(__name__).info("test route: malformed body", exc_info=exc)
    return error_response(400, "Corps de requête invalide : un champ n'a pas le type attendu "
                               "(nombre, texte, liste…).")


def journal_raw():
    """Everything the app's journal holds in storage, flushed first: its SQLite files byte for byte
    (WAL included), or every row of its tables on PostgreSQL as JSON — what a test searches for a
    secret that must never be written."""
    import json
    from pathlib import Path

    from flask import Response
    journal = current_app.extensions["journal"]
    journal.flush()
    store = journal.store
    if store.db.url.startswith("sqlite"):
        stored_file = Path(store.db.url[len("sqlite:///"):])
        raw = b"".join(p.read_bytes() for p in sorted(stored_file.parent.iterdir())
                       if p.name.startswith(stored_file.name))
    else:
        with store.db.engine.connect() as conn:
            rows = [tuple(r) for table in (store.entries, store.traces) for r in conn.execute(table.select())]
        raw = json.dumps(rows, default=str, ensure_ascii=False).encode()
    return Response(raw, mimetype="application/octet-stream")


def mount_test_routes(app: Flask, module: str) -> bool:
    """Register the blueprint ``bp`` of ``module`` (a dotted name) when the app's config has
    ``TEST_ROUTES``; True when mounted. The module is imported only then: test routes pull in
    factories (Faker) a product start does not need."""
    if not app.config.get("TEST_ROUTES"):
        return False
    app.register_blueprint(importlib.import_module(module).bp)
    return True


def body() -> dict:
    """The request's JSON object (an empty dict for none); 400 when it is not an object."""
    data = request.get_json(silent=True)
    if data is None and request.get_data():
        abort(400)
    if data is not None and not isinstance(data, dict):
        abort(400)
    return data or {}


ARRIVAL_FIELDS = ("plate", "vin", "model", "version", "energy", "first_registration", "mileage_km",
                  "din_power", "fiscal_power", "kw_power")


def stock_arrival_body():
    """The body of a DMS's ``POST /__test__/certification/vehicles`` (``{"vehicle": {...hand-off v1
    vehicle...}, "price_ttc": "15000.00"}``) checked: ``(vehicle dict as on the wire, price)``, or
    ``(None, response)`` with the French 400/415/422 to return."""
    from pydantic import BaseModel, ConfigDict, field_validator

    from common.web import json_body
    from spoticar_handoff.models import Money, Vehicle

    class StockArrival(BaseModel):
        model_config = ConfigDict(extra="forbid")
        vehicle: Vehicle
        price_ttc: Money

        @field_validator("vehicle")
        @classmethod
        def _complete(cls, vehicle: Vehicle) -> Vehicle:
            missing = [name for name in ARRIVAL_FIELDS if getattr(vehicle, name) is None]
            if missing:  # a stock record needs them all (the plan's sales give them)
                raise ValueError(f"Champs obligatoires pour l'entrée en stock : {', '.join(missing)}.")
            return vehicle

    arrival, refusal = json_body(StockArrival)
    if refusal is not None:
        return None, refusal
    return arrival.vehicle.model_dump(mode="json"), arrival.price_ttc


def found(record: dict | None):
    """200 with ``record`` as JSON, or a JSON 404 when there is none."""
    if record is None:
        return jsonify({"errors": [{"field": None, "message": "Enregistrement introuvable."}]}), 404
    return jsonify(record)


def stored(model, record, status: int = 200, **where):
    """The ``model`` row matching ``where`` as ``record(row)`` (``status``: 201 after a create), or a
    JSON 404 when there is none."""
    row = current_app.extensions["db"].session.scalar(select(model).filter_by(**where))
    response = found(row and record(row))
    return (response, status) if row is not None else response


def as_record(row, names: list[str] | tuple[str, ...]) -> dict:
    """The attributes ``names`` of a stored row as JSON values (dates ISO, decimals as text)."""
    def plain(value):
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if value is None or isinstance(value, (bool, int, float, str, list, dict)):
            return value
        return str(value)
    return {name: plain(getattr(row, name)) for name in names}


def column_names(*mixins) -> tuple[str, ...]:
    """The column names of the mapped ``mixins`` (``VehicleColumns``, ``DeclarationColumns``…)."""
    return tuple(name for mixin in mixins for name in mixin.__annotations__)
