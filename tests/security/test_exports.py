"""Exports a user downloads and opens elsewhere: a value stored through a DMS's intake that starts a
spreadsheet formula (« =HYPERLINK(…) ») reaches Tec3H's CSV as text, never as a formula, in a file
declared once as UTF-8 CSV."""
from __future__ import annotations

import csv
import io

import httpx
import pytest

pytestmark = pytest.mark.centralisateur

FORMULA = '=HYPERLINK("http://evil.example","ouvrir")'


def test_a_stored_formula_reaches_the_csv_export_as_text(stack, factory):
    base = stack.url("tec3h")
    vehicle = {**factory.handoff()["vehicle"], "brand": FORMULA}
    arrived = httpx.post(base + "/__test__/certification/vehicles", timeout=20,
                         json={"vehicle": vehicle, "price_ttc": "15000.00"})
    assert arrived.status_code == 201, arrived.text
    export = httpx.get(base + "/stock/export.csv", params={"q": vehicle["plate"]}, timeout=20)
    assert export.status_code == 200
    assert export.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 1
    assert rows[0]["Véhicule"].startswith("'" + FORMULA)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
