"""Fixtures of the centralisateur's tests."""
from __future__ import annotations

import pytest

from tests.centralisateur.support import api_client


@pytest.fixture
def api(stack):
    """An HTTP client of the hand-off API, with the demo Tec3H key."""
    with api_client(stack) as client:
        yield client
