"""A seeded Bee2link app per test, its hand-offs going to a fake centralisateur."""
from __future__ import annotations

import os

import pytest

from simulators import bee2link
from tests.fake_centralisateur import FakeCentralisateur


@pytest.fixture
def cds() -> FakeCentralisateur:
    return FakeCentralisateur()


@pytest.fixture
def app(tmp_path, cds):
    app = bee2link.create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "PUBLIC_URL": "http://b2l.test",
                               "URLS": {"centralisateur": "http://cds.test"},
                               "HANDOFF_TRANSPORT": cds.transport,
                           "DATABASE_URL": os.environ.get("DATABASE_URL")})
    bee2link.seed_demo(app, 0)
    yield app
    if os.environ.get("DATABASE_URL"):  # a server database outlives the test: leave it empty
        app.extensions["db"].drop_all()
    app.extensions["harness_stop"]()


@pytest.fixture
def client(app):
    return app.test_client()
