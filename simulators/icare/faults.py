"""Outage switches for the contract API (test and demo mode only; outside demo mode, with the test
routes' key: ``common.testing.guard_test_routes``), httpbin-style: an explicit admin
endpoint sets latency, an error status or dropped connections for the next N API calls (or until
cleared). Applied by a WSGI middleware, so the contract API itself stays untouched.

``PUT /admin/faults`` JSON ``{"latency_ms": 2000, "error_status": 503, "drop_connection": false,
"count": 3}``; ``GET`` shows the state; ``DELETE`` clears it. With ``"rrdi": "C1A2B3C"`` the fault hits
only calls about that point of sale (the ``rrdi`` of their JSON body, as NPO requests carry it), set
beside the others: certification sessions running at once each break Icare for their own dealer only.
"""
from __future__ import annotations

import io
import json
import time
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, current_app, jsonify, request
from sqlalchemy import delete, or_, select, update

from common.json_checks import json_too_deep
from common.testing import guard_test_routes
from common.web import csrf, error_response

bp = Blueprint("icare_faults", __name__, url_prefix="/admin/faults")
csrf.exempt(bp)
bp.before_request(guard_test_routes)  # open in demo mode; with test routes outside it, the stack's key

API_PREFIX = "/api/v1/"

if TYPE_CHECKING:  # pydantic: imported when a fault is first set, not when the app starts
    from simulators.icare.wire import FaultIn


class FaultState:
    """The active faults, one for every call and one per point of sale (``rrdi``), kept in Icare's
    database (``IcareFault``): every process serving Icare (``up --processes``, gunicorn workers)
    applies the same ones, and a switch set for N calls fails N calls in all — kept in each worker's
    memory, a fault set through one worker was unknown to the others, and one call in two went through."""

    def __init__(self, app: Flask):
        self.app = app

    @property
    def _db(self):
        return self.app.extensions["db"]

    def set(self, fault: FaultIn) -> None:
        from simulators.icare.store import IcareFault
        with self._db.transaction() as s:
            s.merge(IcareFault(scope=fault.rrdi or "", fault=fault.model_dump(mode="json", exclude={"rrdi"}),
                               remaining=fault.count, hits=0))

    def clear(self) -> None:
        from simulators.icare.store import IcareFault
        with self._db.transaction() as s:  # the hits of the fault for every call stay shown, as before
            s.execute(delete(IcareFault).where(IcareFault.scope != ""))
            s.execute(update(IcareFault).values(remaining=0))

    def scopes(self) -> set[str]:
        """The scopes with a fault ("" for every call, else a point of sale's rrdi): one read per API call,
        nothing when no fault is set."""
        from simulators.icare.store import IcareFault
        with self._db.read_engine.connect() as conn:
            return set(conn.execute(select(IcareFault.scope).where(
                or_(IcareFault.remaining.is_(None), IcareFault.remaining > 0))).scalars())

    def take(self, rrdi: str | None = None) -> FaultIn | None:
        """The fault to apply to this request (about point of sale ``rrdi``), counted (in the app's write
        transaction: two processes never both take the last call of a switch); None when nothing is active."""
        from simulators.icare.store import IcareFault
        from simulators.icare.wire import FaultIn
        with self._db.transaction() as s:
            switch = s.get(IcareFault, rrdi) if rrdi else None
            switch = switch or s.get(IcareFault, "")
            if switch is None or switch.remaining == 0:  # none, or the one for every call spent
                return None
            fault = FaultIn.model_validate(switch.fault)
            switch.hits += 1
            if switch.remaining is not None:
                switch.remaining -= 1
                if switch.remaining <= 0 and switch.scope:  # a point of sale's: gone; every call's: its hits stay
                    s.delete(switch)
            return fault

    def describe(self) -> dict:
        from simulators.icare.store import IcareFault
        with self._db.read_sessionmaker() as s:
            switches = {f.scope: {"fault": f.fault, "remaining": f.remaining, "hits": f.hits}
                        for f in s.scalars(select(IcareFault))}
        every = switches.pop("", None)
        hits = every["hits"] if every else 0
        if every is not None and every["remaining"] == 0:  # spent or cleared: only its hits are left
            every = None
        return {"active": every is not None, "fault": every["fault"] if every else None,
                "remaining": every["remaining"] if every else None, "hits": hits, "dealers": switches}


MAX_SCOPED_BODY = 1 << 20


def _body_rrdi(environ) -> str | None:
    """The ``rrdi`` of the request's JSON body; the body is put back for the app to read."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_SCOPED_BODY:   # no body, or more than a call about a sale carries
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
    if json_too_deep(body):  # json.loads would recurse past Python's limit: the app refuses it in French
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    rrdi = data.get("rrdi") if isinstance(data, dict) else None
    return rrdi if isinstance(rrdi, str) else None


class FaultMiddleware:
    """Wraps the WSGI app: delays, fails or drops requests to the contract API as configured."""

    def __init__(self, wsgi_app, state: FaultState):
        self.wsgi_app, self.state = wsgi_app, state

    def __call__(self, environ, start_response):
        if not environ.get("PATH_INFO", "").startswith(API_PREFIX):
            return self.wsgi_app(environ, start_response)
        scopes = self.state.scopes()
        if not scopes:
            return self.wsgi_app(environ, start_response)
        fault = self.state.take(_body_rrdi(environ) if scopes - {""} else None)
        if fault is None:
            return self.wsgi_app(environ, start_response)
        if fault.latency_ms:
            time.sleep(fault.latency_ms / 1000)
        if fault.drop_connection:
            return self._drop(start_response)
        if fault.error_status:
            body = json.dumps({"errors": [{"field": None, "message":
                              f"Panne simulée d'Icare (erreur {fault.error_status})."}]}).encode()
            start_response(f"{fault.error_status} Simulated Fault",
                           [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return self.wsgi_app(environ, start_response)

    @staticmethod
    def _drop(start_response):
        # Announce 1 KiB, send one byte: the server then closes the connection, so the client gets
        # no complete HTTP answer (a transport error), as when Icare goes away mid-call.
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "1024")])
        return [b"{"]


def install(app: Flask) -> None:
    """Always wrap the app (a no-op until a fault is set); the admin endpoint only in test/demo mode."""
    state = FaultState(app)
    app.extensions["icare_faults"] = state
    app.wsgi_app = FaultMiddleware(app.wsgi_app, state)
    if app.config.get("TEST_ROUTES") or app.config.get("DEMO_MODE"):
        app.register_blueprint(bp)


@bp.get("")
def show():
    """The active fault and how many requests it has hit."""
    return jsonify(current_app.extensions["icare_faults"].describe())


@bp.route("", methods=["PUT", "POST"])
def set_fault():
    """Set the fault (replaces the previous one)."""
    if not request.is_json:
        return error_response(415)
    from pydantic import ValidationError

    from common.errors import french_errors
    from simulators.icare.wire import FaultIn
    try:
        fault = FaultIn.model_validate(request.get_json(silent=True) or {})
    except ValidationError as exc:
        return jsonify({"errors": french_errors(exc)}), 422
    current_app.extensions["icare_faults"].set(fault)
    return jsonify(current_app.extensions["icare_faults"].describe())


@bp.delete("")
def clear():
    """Back to normal service."""
    current_app.extensions["icare_faults"].clear()
    return jsonify(current_app.extensions["icare_faults"].describe())
