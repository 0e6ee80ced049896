"""PVO2 test fixtures: a seeded PVO2 app per test, a scriptable fake centralisateur and a real Icare
(with the PSA Assurance blueprint) served over real HTTP on OS-picked ports."""
from __future__ import annotations

import json

import pytest

from common.serve import AppServer
from harness.template_cache import template_cache
from simulators import pvo2
from simulators.pvo2.store import Order, Site, Vehicle
from tests.fake_centralisateur import FakeCentralisateur
from tests.seeded import seeded_app

DOWN_URL = "http://127.0.0.1:9"  # discard port: nothing listens, the connection is refused


@pytest.fixture
def fake_centralisateur():
    """The fake centralisateur over real HTTP, answering as the seed's (PVO2's refusal, HTTP 500)."""
    fake = FakeCentralisateur()
    fake.refusal = [{"field": "vehicle.usage",
                     "message": "Véhicule non éligible : les véhicules utilisés, même temporairement, comme taxi "
                                "sont exclus."}]
    fake.error_status = 500
    fake.state = {"status": "pending", "contract_number": None, "garantisseur": "Garantie SPOTICAR Stellantis"}
    fake.bdc_suffix = "103833712"
    fake.declaration_url = "{base}/declarations/1?t=abc"
    server = AppServer.bind().mount(fake.wsgi()).start()
    fake.url = server.url
    yield fake
    server.stop()


@pytest.fixture
def icare_url(tmp_path):
    """A real Icare app with the PSA Assurance blueprint, seeded with the demo dealers."""
    from simulators import icare
    from simulators.icare import psa_insurance
    app = seeded_app(icare, {"DATA_DIR": str(tmp_path / "icare"), "DEMO_MODE": True})
    if "icare_psa_insurance" not in app.blueprints:
        app.register_blueprint(psa_insurance.bp)
    server = AppServer.bind().mount(app).start()
    yield server.url
    server.stop()
    app.extensions["harness_stop"]()


def make_pvo2(tmp_path, urls: dict, csrf: bool = False):
    app = seeded_app(pvo2, {"DATA_DIR": str(tmp_path / "pvo2"), "DEMO_MODE": True, "URLS": urls,
                            "PUBLIC_URL": "http://pvo2.test", "WTF_CSRF_ENABLED": csrf, "TESTING": True})
    # templates compiled once and kept, as up's apps do: an app per test compiled each page again
    app.jinja_env.bytecode_cache = template_cache(app.jinja_env)
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


def vehicle_id(app, plate: str) -> int:
    """The id of the stock vehicle with ``plate``."""
    from sqlalchemy import select
    with app.extensions["db"].transaction() as session:
        return session.scalar(select(Vehicle.id).where(Vehicle.plate == plate))


def site(app) -> Site:
    from sqlalchemy import select
    with app.extensions["db"].transaction() as session:
        return session.scalar(select(Site))


def text(response) -> str:
    return response.get_data(as_text=True)


def as_json(response) -> dict:
    return json.loads(response.get_data(as_text=True))
