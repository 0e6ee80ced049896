"""French display formats, one place for every app, from Babel (CLDR fr_FR): amounts "10 290,76 €",
numbers "190 000", sizes "2,0 Ko", dates "01/12/2021" and "janv. 2021", phones "06 00 00 00 00".

Babel separates groups with a narrow no-break space and puts a no-break space before "€"; we show
plain spaces, as the dealers' screens (and the training decks) do, so a label reads and matches the
same everywhere.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALE = "fr_FR"
_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


def _plain(text: str) -> str:
    return text.translate(_SPACES)


def euros(value: Decimal | float | int | str | None, *, symbol: bool = True, grouping: bool = True) -> str:
    """10290.76 → "10 290,76 €" (``symbol=False``: "10 290,76"; ``grouping=False``: "10290,76");
    None or blank → ""."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    if symbol and grouping:
        return _plain(format_currency(amount, "EUR", locale=LOCALE))
    pattern = "#,##0.00" if grouping else "0.00"
    return _plain(format_decimal(amount, format=pattern, locale=LOCALE))


def number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """190000 → "190 000"; ``decimals`` fixed digits after the comma ("3,8")."""
    if value is None or value == "":
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _plain(format_decimal(Decimal(str(value)), format=pattern, locale=LOCALE))


def km(value: int | None) -> str:
    """48500 → "48 500 km"."""
    return "" if value is None else f"{number(value)} km"


def size(byte_count: int) -> str:
    """2048 → "2,0 Ko", 3 500 000 → "3,3 Mo" (French octets)."""
    for unit, scale in (("Mo", 1024 * 1024), ("Ko", 1024)):
        if byte_count >= scale or unit == "Ko":
            return f"{number(byte_count / scale, decimals=1)} {unit}"
    return ""  # unreachable: Ko always answers


def date(value: dt.date | dt.datetime | None) -> str:
    """A date as "01/12/2021"; None → "". (Babel's "dd/MM/yyyy" gives the same digits; formatted here
    directly, as Accueil shows 50 of them per page.)"""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}" if value else ""


def month_year(value: dt.date | None) -> str:
    """"janv. 2021", as PVO2's vehicle card shows the mise en circulation."""
    return format_date(value, "MMM y", locale=LOCALE) if value else ""


def phone(value: str | None) -> str:
    """"0600000000", "+33 6 00 00 00 00" → "06 00 00 00 00"; anything else is shown as typed."""
    if not value:
        return ""
    digits = re.sub(r"[\s.\-]", "", value)
    if re.fullmatch(r"(\+33|0033)[1-9][0-9]{8}", digits):
        digits = "0" + digits[-9:]
    if not re.fullmatch(r"0[1-9][0-9]{8}", digits):
        return value
    return " ".join(digits[i:i + 2] for i in range(0, 10, 2))


FILTERS = {"euros": euros, "number": number, "km": km, "size": size, "fr_date": date,
           "month_year": month_year, "phone": phone}


def install(app) -> None:
    """Make every format a Jinja filter of ``app`` (``{{ price|euros }}``, ``{{ mobile|phone }}``…)."""
    app.jinja_env.filters.update(FILTERS)
