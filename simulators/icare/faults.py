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
import threading
import time
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, current_app, jsonify, request

from common.json_checks import json_too_deep
from common.testing import guard_test_routes
from common.web import csrf, error_response

bp = Blueprint("icare_faults", __name__, url_prefix="/admin/faults")
csrf.exempt(bp)
bp.before_request(guard_test_routes)  # open in demo mode; with test routes outside it, the stack's key

API_PREFIX = "/api/v1/"

if TYPE_CHECKING:  # pydantic: imported when a fault is first set, not when the app starts
    from simulators.icare.wire import FaultIn


class _Switch:
    """One fault and how many requests it has left and has hit."""

    def __init__(self, fault: FaultIn):
        self.fault, self.remaining, self.hits = fault, fault.count, 0

    def describe(self) -> dict:
        return {"fault": self.fault.model_dump(exclude={"rrdi"}), "remaining": self.remaining, "hits": self.hits}


class FaultState:
    """The active faults (thread-safe): one for every call, and one per point of sale (``rrdi``)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.fault: FaultIn | None = None
        self.remaining: int | None = None
        self.hits = 0
        self.dealers: dict[str, _Switch] = {}

    def set(self, fault: FaultIn) -> None:
        with self._lock:
            if fault.rrdi:
                self.dealers[fault.rrdi] = _Switch(fault)
            else:
                self.fault, self.remaining, self.hits = fault, fault.count, 0

    def clear(self) -> None:
        with self._lock:
            self.fault, self.remaining = None, None
            self.dealers.clear()

    @property
    def scoped(self) -> bool:
        """Whether some fault waits for one point of sale's calls (their body must be read)."""
        return bool(self.dealers)

    def take(self, rrdi: str | None = None) -> FaultIn | None:
        """The fault to apply to this request (about point of sale ``rrdi``), counting it; None when
        nothing is active for it."""
        with self._lock:
            switch = self.dealers.get(rrdi) if rrdi else None
            if switch is not None:
                switch.hits += 1
                if switch.remaining is not None:
                    switch.remaining -= 1
                    if switch.remaining <= 0:
                        del self.dealers[rrdi]
                return switch.fault
            fault = self.fault
            if fault is None:
                return None
            self.hits += 1
            if self.remaining is not None:
                self.remaining -= 1
                if self.remaining <= 0:
                    self.fault, self.remaining = None, None
            return fault

    def describe(self) -> dict:
        with self._lock:
            return {"active": self.fault is not None,
                    "fault": self.fault.model_dump(exclude={"rrdi"}) if self.fault else None,
                    "remaining": self.remaining, "hits": self.hits,
                    "dealers": {rrdi: switch.describe() for rrdi, switch in self.dealers.items()}}


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
        fault = self.state.take(_body_rrdi(environ) if self.state.scoped else None)
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
    state = FaultState()
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
