"""A fresh, seeded Portail B2B app per test (temporary SQLite file), CSRF off for the test client."""
from __future__ import annotations

import pytest

from harness.template_cache import template_cache
from simulators import portail_b2b
from simulators.portail_b2b.store import outbox
from tests.seeded import seeded_app

PASSWORD = "Portail-B2B-2026"


@pytest.fixture
def app(tmp_path):
    app = seeded_app(portail_b2b, {"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "TESTING": True,
                                   "WTF_CSRF_ENABLED": False, "B2B_MAX_LOGIN_FAILURES": 3})
    # templates compiled once and kept, as up's apps do: an app per test compiled each page again
    app.jinja_env.bytecode_cache = template_cache(app.jinja_env)
    yield app
    app.extensions["harness_stop"]()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def mails(app):
    """``mails(to=None)``: the outbox's mails (newest first), read from the store."""
    def read(to: str | None = None):
        with app.app_context():
            return outbox.mails(app.extensions["db"].session, to)
    return read


@pytest.fixture
def person(factory) -> dict:
    """Contact details of a person (Faker fr_FR, seeded per test)."""
    c = factory.customer()
    return {"last_name": c["last_name"], "first_name": c["first_name"], "email": c["email"],
            "phone": c["mobile"], "company": factory.fake.company(),
            "siret": factory.fake.siret().replace(" ", "")}
