"""A seeded Bee2link app per test, its hand-offs going to a fake centralisateur."""
from __future__ import annotations

import pytest

from simulators import bee2link
from tests.dms_helpers import seeded_app
from tests.fake_centralisateur import FakeCentralisateur


@pytest.fixture
def cds() -> FakeCentralisateur:
    return FakeCentralisateur()


@pytest.fixture
def app(tmp_path, cds):
    with seeded_app(bee2link, tmp_path, cds.transport, "http://b2l.test") as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()
