"""Numbering and date arithmetic (SPEC §3)."""
from __future__ import annotations

import datetime as dt

import pytest

from centralisateur.store import bdc_number
from common.dates import add_months, fr_date, parse_fr_date

pytestmark = pytest.mark.centralisateur


def test_bdc_number_is_sp_rrdi_and_nine_digits():
    number = bdc_number("953617Z", 12)
    assert number == "SP953617Z103833712"
    assert len(number) == 2 + 7 + 9


@pytest.mark.parametrize("start,months,end", [
    ((2025, 11, 30), 12, (2026, 11, 30)),  # the seed's example
    ((2025, 8, 31), 6, (2026, 2, 28)),
    ((2023, 8, 31), 6, (2024, 2, 29)),
    ((2024, 2, 29), 12, (2025, 2, 28)),
    ((2025, 12, 15), 1, (2026, 1, 15)),
    ((2025, 1, 31), 24, (2027, 1, 31)),
])
def test_end_of_warranty_is_start_plus_duration(start, months, end):
    assert add_months(dt.date(*start), months) == dt.date(*end)


def test_french_dates_round_trip_and_reject_impossible_days():
    assert parse_fr_date("30/11/2025") == dt.date(2025, 11, 30)
    assert parse_fr_date("2025-11-30") == dt.date(2025, 11, 30)
    assert fr_date(dt.date(2025, 11, 30)) == "30/11/2025"
    for bad in ("31/02/2025", "2025/11/30", "30-11-2025", "", "abc", "01/01/1850"):
        assert parse_fr_date(bad) is None
