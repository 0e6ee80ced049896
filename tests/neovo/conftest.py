"""A seeded NeoVO app per test, its hand-offs going to a fake centralisateur."""
from __future__ import annotations

import os

import pytest

from simulators import neovo
from tests.dms_helpers import CHROME_UA
from tests.fake_centralisateur import FakeCentralisateur


@pytest.fixture
def cds() -> FakeCentralisateur:
    return FakeCentralisateur()


@pytest.fixture
def app(tmp_path, cds):
    app = neovo.create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "PUBLIC_URL": "http://neovo.test",
                            "URLS": {"centralisateur": "http://cds.test"}, "HANDOFF_TRANSPORT": cds.transport,
                            "DATABASE_URL": os.environ.get("DATABASE_URL")})
    neovo.seed_demo(app, 0)
    yield app
    if os.environ.get("DATABASE_URL"):  # a server database outlives the test: leave it empty
        app.extensions["db"].drop_all()
    app.extensions["harness_stop"]()


@pytest.fixture
def client(app):
    """A test client that presents itself as Chrome."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = CHROME_UA
    return client
