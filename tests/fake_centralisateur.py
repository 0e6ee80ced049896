"""The one fake centralisateur of the DMS simulator tests: answers the v1 hand-off API the way the test
says and records what it received. Plug it in as an ``httpx`` transport (config ``HANDOFF_TRANSPORT``:
``fake.transport``) or serve it over real HTTP (``fake.wsgi()``, e.g. with ``AppServer``).

Behaviour is chosen by explicit switches, as httpbin does: ``mode`` ("accept", "refuse", "error",
"down"), ``refusal`` (the 422 errors), ``state`` (what status polling answers for any bdc), ``bdc_suffix``
(a fixed number instead of a sequence), ``declaration_url``, ``during`` (called inside each request).
"""
from __future__ import annotations

from collections.abc import Callable

import httpx
from flask import Flask, jsonify, request

from spoticar_handoff import HandoffIn


class _Transport(httpx.BaseTransport):
    """The fake as an ``httpx`` transport: its WSGI app, or a refused connection when ``down``."""

    def __init__(self, fake: FakeCentralisateur):
        self.fake, self.wsgi = fake, httpx.WSGITransport(app=fake.wsgi())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.fake.during:
            self.fake.during()
        if self.fake.mode == "down":
            raise httpx.ConnectError("connexion refusée", request=request)
        return self.wsgi.handle_request(request)


class FakeCentralisateur:
    """Records every hand-off (``received``: authorization and body) and answers like the v1 API."""

    def __init__(self):
        self.mode = "accept"
        self.received: list[dict] = []
        self.refusal = [{"field": "vehicle.brand", "message": "Marque TATA non admise."}]
        self.error_status = 503
        self.states: dict[str, dict] = {}      # per bdc, set by hand-offs and ``declare``
        self.state: dict | None = None         # answered for any other bdc (None: 404)
        self.bdc_suffix: str | None = None      # e.g. "103833712": SP + RRDI + it, every time
        self.declaration_url = "{base}/declaration/{bdc}"
        self.status_calls = 0
        self.during: Callable[[], None] | None = None
        self.url = "http://cds.test"           # where it is served (``AppServer``) when it is
        self.transport = _Transport(self)

    @property
    def handoffs(self) -> list[dict]:
        """The bodies received, in order."""
        return [r["body"] for r in self.received]

    def declare(self, bdc: str, contract_number: str = "22611000042") -> dict:
        """Make the declaration ``bdc`` declared with a Stellantis contract; returns the state."""
        self.states[bdc] = {"bdc_number": bdc, "status": "declared",
                            "garantisseur": "stellantis", "contract_number": contract_number}
        return self.states[bdc]

    def wsgi(self) -> Flask:
        """The fake as a Flask app (served in a thread by the tests that need real HTTP)."""
        app = Flask("fake_centralisateur")

        @app.post("/api/v1/handoffs")
        def handoff():
            body = request.get_json()
            self.received.append({"auth": request.headers.get("Authorization"), "body": body})
            if self.mode == "refuse":
                return jsonify({"errors": self.refusal}), 422
            if self.mode == "error":
                return "Service Unavailable", self.error_status
            HandoffIn.model_validate(body)  # what a DMS sends must be a valid v1 body
            rrdi = body["dealer"]["rrdi"]
            bdc = f"SP{rrdi}{self.bdc_suffix or f'{len(self.received):09d}'}"
            self.states.setdefault(bdc, {"bdc_number": bdc, "status": "pending", "contract_number": None})
            url = self.declaration_url.format(base=request.host_url.rstrip("/"), bdc=bdc)
            return jsonify({"handoff_id": len(self.received), "bdc_number": bdc, "declaration_url": url,
                            "status": "pending"}), 201

        @app.get("/api/v1/declarations/<bdc>")
        def status(bdc: str):
            self.status_calls += 1
            if self.state is not None:
                return jsonify({"bdc_number": bdc, **self.state})
            if bdc not in self.states:
                return jsonify({"errors": [{"field": None, "message": "Inconnue."}]}), 404
            return jsonify(self.states[bdc])

        return app
