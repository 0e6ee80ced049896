"""PVO2 test fixtures: a seeded PVO2 app per test, a scriptable fake centralisateur and a real Icare
(with the PSA Assurance blueprint) served over real HTTP on OS-picked ports."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from flask import Flask, jsonify, request

from common.serve import AppServer
from simulators.pvo2 import create_app, seed_demo
from simulators.pvo2.store import Order, Site

DOWN_URL = "http://127.0.0.1:9"  # discard port: nothing listens, the connection is refused


@dataclass
class FakeCentralisateur:
    """Answers the v1 hand-off API the way the test says (``mode``) and records what it received."""
    mode: str = "accept"              # accept | refuse | error
    received: list = field(default_factory=list)
    status: dict = field(default_factory=lambda: {"status": "pending", "contract_number": None})
    refusal: list = field(default_factory=lambda: [
        {"field": "vehicle.usage",
         "message": "Véhicule non éligible : les véhicules utilisés, même temporairement, comme taxi "
                    "sont exclus."}])
    url: str = ""

    def wsgi(self) -> Flask:
        app = Flask("fake_centralisateur")

        @app.post("/api/v1/handoffs")
        def handoff():
            self.received.append({"auth": request.headers.get("Authorization"), "body": request.get_json()})
            if self.mode == "refuse":
                return jsonify({"errors": self.refusal}), 422
            if self.mode == "error":
                return "panne", 500
            rrdi = request.get_json()["dealer"]["rrdi"]
            bdc = f"SP{rrdi}103833712"
            return jsonify({"handoff_id": 1, "bdc_number": bdc, "status": "pending",
                            "declaration_url": f"{self.url}/declarations/1?t=abc"}), 201

        @app.get("/api/v1/declarations/<bdc>")
        def status(bdc):
            return jsonify({"bdc_number": bdc, "garantisseur": "Garantie SPOTICAR Stellantis", **self.status})

        return app


@pytest.fixture
def fake_centralisateur():
    fake = FakeCentralisateur()
    server = AppServer.bind().mount(fake.wsgi()).start()
    fake.url = server.url
    yield fake
    server.stop()


@pytest.fixture
def icare_url(tmp_path):
    """A real Icare app with the PSA Assurance blueprint, seeded with the demo dealers."""
    from simulators import icare
    from simulators.icare import psa_insurance
    app = icare.create_app({"DATA_DIR": str(tmp_path / "icare"), "DEMO_MODE": True})
    if "icare_psa_insurance" not in app.blueprints:
        app.register_blueprint(psa_insurance.bp)
    icare.seed_demo(app, 0)
    server = AppServer.bind().mount(app).start()
    yield server.url
    server.stop()
    app.extensions["harness_stop"]()


def make_pvo2(tmp_path, urls: dict, csrf: bool = False):
    app = create_app({"DATA_DIR": str(tmp_path / "pvo2"), "DEMO_MODE": True, "URLS": urls,
                      "PUBLIC_URL": "http://pvo2.test", "WTF_CSRF_ENABLED": csrf, "TESTING": True})
    seed_demo(app, 0)
    return app


@pytest.fixture
def app(tmp_path, fake_centralisateur):
    app = make_pvo2(tmp_path, {"centralisateur": fake_centralisateur.url, "icare": DOWN_URL})
    yield app
    app.extensions["harness_stop"]()


@pytest.fixture
def client(app):
    return app.test_client()


def order(app, number: int) -> Order:
    """The order as stored (a fresh read)."""
    from sqlalchemy import select
    with app.extensions["db"].transaction() as session:
        return session.scalar(select(Order).where(Order.number == number))


def site(app) -> Site:
    from sqlalchemy import select
    with app.extensions["db"].transaction() as session:
        return session.scalar(select(Site))


def text(response) -> str:
    return response.get_data(as_text=True)


def as_json(response) -> dict:
    return json.loads(response.get_data(as_text=True))
