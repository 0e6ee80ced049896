"""One parsing layer for the numbers and dates users and DMSs type: forms, query strings, JSON dates.

Every function takes the raw text and returns the value, ``None`` for a blank entry, or raises
:class:`ParseError` (a ``ValueError``) whose text is the French message to show. Only ASCII digits
count: ``"²"``, ``"³"`` or Arabic-Indic digits pass ``str.isdigit()`` yet are no number a user meant.
Bounds keep values inside what the database columns and ``datetime`` hold (no overflow, no year 9999
whose "+ 12 mois" would not exist).

Small API, used by every app and by the form layer:

- ``parse_int(text, label=…, minimum=0, maximum=MAX_INT)`` → ``int | None``
- ``parse_decimal(text, label=…, minimum=0, maximum=10_000_000, places=2)`` → ``Decimal | None``
- ``parse_date(text, label=…)`` → ``date | None``; "30/11/2025" or "2025-11-30", years 1900–2100
- ``check_date(value)`` → the date, or ``ParseError`` when outside 1900–2100 (pydantic validators)
- ``TradeDate``: ``dt.date`` for pydantic models (the APIs), refusing years outside 1900–2100
- ``arg_int(name, default, …)`` / ``arg_date(name, …)``: a query parameter of the current request;
  a bad value raises :class:`ParseError`, which every app (``common.web.make_app``) answers with a
  French 400.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

# the API's date type and year range come with the hand-off SDK (``TradeDate`` re-exported here)
from spoticar_handoff.fields import MAX_YEAR, MIN_YEAR

MAX_INT = 2_147_483_647  # a 32-bit INTEGER column: SQLite and PostgreSQL both hold it
MAX_TEXT = 40  # no number or date needs more; longer input is refused before any work

_INT = re.compile(r"[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[0-9]+(?:[.,][0-9]+)?", re.ASCII)
_FR_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", re.ASCII)
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
# Spaces a French user or a spreadsheet puts between thousands
_GROUPING = str.maketrans("", "", " \u00a0\u202f")


def __getattr__(name: str):
    if name == "TradeDate":  # a pydantic type: imported by the models that name it, not by every form
        from spoticar_handoff.fields import TradeDate
        return TradeDate
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ParseError(ValueError):
    """A value that cannot be read; ``str(exc)`` is the French message, ``field`` the parameter."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _name(label: str | None) -> str:
    return f"Le champ {label}" if label else "La valeur"


def _clean(text) -> str | None:
    if text is None:
        return None
    text = str(text).strip()
    return text or None


def parse_int(text, *, label: str | None = None, minimum: int = 0, maximum: int = MAX_INT,
              grouping: bool = True) -> int | None:
    """ "12 500" → 12500; blank → None; anything else, or outside ``minimum``–``maximum``, refused."""
    text = _clean(text)
    if text is None:
        return None
    compact = text.translate(_GROUPING) if grouping else text
    if len(compact) > MAX_TEXT or not _INT.fullmatch(compact) or \
            not minimum <= int(compact) <= maximum:
        raise ParseError(f"{_name(label)} doit être un nombre entier entre {minimum} et {maximum}.")
    return int(compact)


def parse_decimal(text, *, label: str | None = None, minimum: Decimal | int = 0,
                  maximum: Decimal | int = 10_000_000, places: int = 2) -> Decimal | None:
    """ "10 290,76 €" → Decimal("10290.76"); blank → None; at most ``places`` decimals, rounded."""
    text = _clean(text)
    if text is None:
        return None
    compact = text.translate(_GROUPING).removesuffix("€")
    try:
        if len(compact) > MAX_TEXT or not _DECIMAL.fullmatch(compact):
            raise InvalidOperation
        amount = Decimal(compact.replace(",", "."))
    except InvalidOperation:
        amount = None
    if amount is None or not minimum <= amount <= maximum:
        raise ParseError(f"{_name(label)} doit être un montant entre {minimum} et {maximum} "
                         f"(ex. 10290,76).")
    return amount.quantize(Decimal(1).scaleb(-places))


def check_date(value: dt.date, *, label: str | None = None) -> dt.date:
    """``value`` if its year is within 1900–2100 (the range every date of the trade falls in)."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ParseError(f"{_name(label)} doit être une date entre {MIN_YEAR} et {MAX_YEAR}.")
    return value




def parse_date(text, *, label: str | None = None) -> dt.date | None:
    """ "30/11/2025" (JJ/MM/AAAA) or "2025-11-30" (ISO) → date; blank → None; else ``ParseError``."""
    if isinstance(text, dt.datetime):
        return check_date(text.date(), label=label)
    if isinstance(text, dt.date):
        return check_date(text, label=label)
    text = _clean(text)
    if text is None:
        return None
    value = None
    french, iso = _FR_DATE.fullmatch(text), _ISO_DATE.fullmatch(text)
    try:
        if french:
            value = dt.date(int(french[3]), int(french[2]), int(french[1]))
        elif iso:
            value = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        value = None
    if value is None:
        raise ParseError(f"{_name(label)} doit être une date valide au format JJ/MM/AAAA.")
    return check_date(value, label=label)


def _arg(name: str) -> str | None:
    from flask import request
    return request.args.get(name)


def arg_int(name: str, default: int | None = None, *, minimum: int = 0, maximum: int = MAX_INT,
            choices=None) -> int | None:
    """Query parameter ``name`` as an int (``default`` when absent or blank); ``ParseError`` → 400."""
    try:
        value = parse_int(_arg(name), label=f"« {name} »", minimum=minimum, maximum=maximum)
    except ParseError as exc:
        raise ParseError(f"Paramètre {exc.message[len('Le champ '):]}", name) from None
    if value is None:
        return default
    if choices is not None and value not in choices:
        allowed = ", ".join(str(c) for c in choices)
        raise ParseError(f"Paramètre « {name} » : valeurs possibles {allowed}.", name)
    return value


def arg_date(name: str, default: dt.date | None = None) -> dt.date | None:
    """Query parameter ``name`` as a date (JJ/MM/AAAA or ISO); ``ParseError`` → 400."""
    try:
        value = parse_date(_arg(name), label=f"« {name} »")
    except ParseError as exc:
        raise ParseError(f"Paramètre {exc.message[len('Le champ '):]}", name) from None
    return default if value is None else value
