"""Dates as the French screens show them (JJ/MM/AAAA) and the warranty end-date arithmetic."""
from __future__ import annotations

import datetime as dt


def add_months(start: dt.date, months: int) -> dt.date:
    """Date fin de garantie = date début + durée: 30/11/2025 + 12 mois = 30/11/2026.

    A day missing from the target month becomes that month's last day (31/08 + 6 mois = 28/02).
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return min(dt.date(year, month, 1).replace(day=1) + dt.timedelta(days=start.day - 1),
               next_month - dt.timedelta(days=1))


def fr_date(value: dt.date | None) -> str:
    """JJ/MM/AAAA (``common.formats.date``)."""
    from common.formats import date
    return date(value)


def parse_fr_date(text: str) -> dt.date | None:
    """"30/11/2025" → date; also accepts ISO "2025-11-30". None when not a real date of 1900–2100
    (``common.parsing.parse_date`` does the work and has the French message)."""
    from common.parsing import ParseError, parse_date
    try:
        return parse_date(text)
    except ParseError:
        return None


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored timestamp (naive UTC, as every store keeps them) made timezone-aware."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def rfc3339(value: dt.datetime | None) -> str | None:
    """ "2025-11-30T09:15:00Z": every timestamp on an API, RFC 3339 with its timezone."""
    value = as_utc(value)
    return value.isoformat(timespec="seconds").replace("+00:00", "Z") if value else None
