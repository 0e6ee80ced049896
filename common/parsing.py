"""One place to read numbers and dates typed by a person (forms) or sent in a query string.

Each function returns the value or raises ``ValueError`` whose text is a French sentence fit for the
user. Only ASCII digits count ("²", "٣" and other Unicode digits are refused: ``int()`` would take some
of them and ``str.isdigit()`` all of them), text is bounded before any conversion (no huge integer is
ever built) and years stay in a range every date computation downstream can handle.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

MAX_NUMBER_LENGTH = 30
MIN_YEAR, MAX_YEAR = 1900, 2100

_SPACES = re.compile(r"[ \u00a0\u202f]")  # French thousands separators: space, no-break, narrow
_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?", re.ASCII)
_FR_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", re.ASCII)
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)


def _compact(text: str | None) -> str:
    return _SPACES.sub("", str(text if text is not None else "").strip())


def _bounds(value, low, high, fmt=str):
    if low is not None and value < low or high is not None and value > high:
        if low is not None and high is not None:
            raise ValueError(f"La valeur doit être comprise entre {fmt(low)} et {fmt(high)}.")
        if low is not None:
            raise ValueError(f"La valeur doit être supérieure ou égale à {fmt(low)}.")
        raise ValueError(f"La valeur doit être inférieure ou égale à {fmt(high)}.")
    return value


def parse_int(text: str | None, min: int | None = None, max: int | None = None) -> int:  # noqa: A002
    """"12 500" → 12500. ``ValueError`` (French) for anything but ASCII digits or out of [min, max]."""
    compact = _compact(text)
    if not compact:
        raise ValueError("Une valeur est attendue.")
    if len(compact) > MAX_NUMBER_LENGTH or not _INT.fullmatch(compact):
        raise ValueError("Nombre entier attendu (chiffres 0 à 9).")
    return _bounds(int(compact), min, max)


def parse_decimal(text: str | None, min: Decimal | int | None = None, max: Decimal | int | None = None,
                  places: int = 2) -> Decimal:
    """"10 290,76" or "10290.76" → Decimal("10290.76"), rounded to ``places`` decimals."""
    compact = _compact(text)
    if not compact:
        raise ValueError("Une valeur est attendue.")
    if len(compact) > MAX_NUMBER_LENGTH or not _DECIMAL.fullmatch(compact):
        raise ValueError("Montant attendu (ex. 10290,76).")
    try:
        amount = Decimal(compact.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern already refuses what Decimal refuses
        raise ValueError("Montant attendu (ex. 10290,76).") from None
    amount = _bounds(amount, min, max, lambda v: f"{v}".replace(".", ","))
    return amount.quantize(Decimal(1).scaleb(-places))


def parse_date(text: str | None, min_year: int = MIN_YEAR, max_year: int = MAX_YEAR) -> dt.date:
    """"30/11/2025" (JJ/MM/AAAA) or ISO "2025-11-30" → date; the year within [min_year, max_year]."""
    compact = str(text if text is not None else "").strip()
    if not compact:
        raise ValueError("Une date est attendue.")
    match = _FR_DATE.fullmatch(compact)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DATE.fullmatch(compact):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError("Date attendue au format JJ/MM/AAAA.")
    if not min_year <= year <= max_year:
        raise ValueError(f"L'année doit être comprise entre {min_year} et {max_year}.")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError("Cette date n'existe pas dans le calendrier.") from None
