"""A seeded NeoVO app per test, its hand-offs going to a fake centralisateur; the client presents
itself as Chrome (Garantir is Chrome only)."""
from __future__ import annotations

from simulators import neovo
from tests.dms_helpers import CHROME_UA, dms_fixtures

cds, app, client = dms_fixtures(neovo, "http://neovo.test", user_agent=CHROME_UA)
