"""A seeded NeoVO app per test, its hand-offs going to a fake centralisateur."""
from __future__ import annotations

import pytest

from simulators import neovo
from tests.dms_helpers import CHROME_UA, seeded_app
from tests.fake_centralisateur import FakeCentralisateur


@pytest.fixture
def cds() -> FakeCentralisateur:
    return FakeCentralisateur()


@pytest.fixture
def app(tmp_path, cds):
    with seeded_app(neovo, tmp_path, cds.transport, "http://neovo.test") as app:
        yield app


@pytest.fixture
def client(app):
    """A test client that presents itself as Chrome."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = CHROME_UA
    return client
