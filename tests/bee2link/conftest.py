"""A seeded Bee2link app per test, its hand-offs going to a fake centralisateur."""
from __future__ import annotations

from simulators import bee2link
from tests.dms_helpers import dms_fixtures

cds, app, client = dms_fixtures(bee2link, "http://b2l.test")
