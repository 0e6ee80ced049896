"""Normalisers and checks of the hand-off's formatted fields (plate, VIN, phone…).

Each takes the text as sent and returns the normalised value, or raises a pydantic
``PydanticCustomError`` whose message is French and can be shown to a dealer as is. DMS forms use
them too, so a value a DMS accepts is one the centralisateur accepts.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from spoticar_handoff import catalogue

ENERGIES = ("ESSENCE", "DIESEL", "ELECTRIQUE", "HYBRIDE", "HYBRIDE RECHARGEABLE", "GPL", "GNV", "E85",
            "HYDROGENE")

PLATE_RE = re.compile(r"^[A-HJ-NP-TV-Z]{2}-[0-9]{3}-[A-HJ-NP-TV-Z]{2}$")
VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
RRDI_RE = re.compile(r"^[0-9A-Z]{7}$")
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^(?:0[1-9][0-9]{8}|\+[0-9]{8,15})$")
# compiled once: every hand-off runs these checks twice (validation, then its warnings)
_PLATE_SEPARATORS = re.compile(r"[\s\-]")
_PLATE_COMPACT = re.compile(r"[A-Z]{2}[0-9]{3}[A-Z]{2}")
_PHONE_SEPARATORS = re.compile(r"[\s.\-]")
_POSTCODE_RE = re.compile(r"[0-9]{5}")
_SIRET_RE = re.compile(r"[0-9]{14}")
MIN_YEAR, MAX_YEAR = 1900, 2100  # every date of the trade falls in this range

# Characters no one types in a text: C0/C1 controls (an escape, a bell, DEL…) and the bidirectional
# overrides and isolates that make a name read otherwise than it is stored (« Trojan Source »); and
# the invisible format characters (zero-width space, word joiner, byte order mark…), which alone make
# a blank. Written as regular-expression classes that Python and JSON Schema (ECMA-262) read alike:
# the hand-off's models, the forms of every app and the OpenAPI document's patterns use these.
CONTROL_CHARS = r"\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069"
CONTROL_CHARS_MULTILINE = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069"  # a text area's tab, line breaks
INVISIBLE_CHARS = r"\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff"
CONTROL_RE = re.compile(f"[{CONTROL_CHARS}]")
CONTROL_MULTILINE_RE = re.compile(f"[{CONTROL_CHARS_MULTILINE}]")
_BLANK_RE = re.compile(rf"[\s{INVISIBLE_CHARS}]*")


def blank(text: str) -> bool:
    """Whether ``text`` shows nothing: spaces and invisible characters alone (a required text cannot
    be that; an optional one is absent)."""
    if plain(text):  # then its only blank character is the space
        return not text.strip()
    return _BLANK_RE.fullmatch(text) is not None


def plain(text: str) -> bool:
    """Whether ``text`` holds none of ``CONTROL_CHARS`` and ``INVISIBLE_CHARS`` and no space but the
    ASCII one — what almost every name and address is — found in one C pass (``str.isprintable``:
    every such character is outside Unicode's printable classes, each code point checked by
    ``tests/sdk/test_plain_text.py``), so the regular expressions run only for the rare text that may
    hold one."""
    return text.isprintable()


def _fail(kind: str, message: str):
    # at the first refusal: a form's page loads without pydantic
    from pydantic_core import PydanticCustomError
    raise PydanticCustomError(kind, message)


def normalize_plate(value: str) -> str:
    """"aa123aa", "AA 123 AA" → "AA-123-AA"; the SIV format is then checked."""
    compact = _PLATE_SEPARATORS.sub("", value).upper()
    if _PLATE_COMPACT.fullmatch(compact):
        compact = f"{compact[:2]}-{compact[2:5]}-{compact[5:]}"
    if not PLATE_RE.match(compact):
        _fail("plate", "L'immatriculation doit être au format SIV AA-123-AA (sans I, O ni U).")
    return compact


def normalize_vin(value: str) -> str:
    """Blanks removed, upper case; 17 characters without I, O or Q."""
    vin = value.replace(" ", "").upper()
    if not VIN_RE.match(vin):
        _fail("vin", "Le VIN doit comporter exactement 17 caractères (lettres et chiffres, sans I, O ni Q).")
    return vin


def normalize_phone(value: str) -> str:
    """Blanks, dots and dashes removed; 10 French digits or an international number."""
    phone = _PHONE_SEPARATORS.sub("", value)
    if not PHONE_RE.match(phone):
        _fail("phone", "Le numéro de téléphone doit comporter 10 chiffres (ex. 0102030405).")
    return phone


def check_email(value: str) -> str:
    """An address with one @ and a domain."""
    if not EMAIL_RE.match(value) or len(value) > 254:
        _fail("email", "L'adresse email n'est pas valide.")
    return value


def check_postcode(value: str) -> str:
    """Five digits."""
    if not _POSTCODE_RE.fullmatch(value):
        _fail("postcode", "Le code postal doit comporter 5 chiffres.")
    return value


def check_rrdi(value: str) -> str:
    """Seven digits and letters (upper-cased)."""
    value = value.upper()
    if not RRDI_RE.match(value):
        _fail("rrdi", "Le code RRDI doit comporter 7 caractères (chiffres et lettres, ex. 953617Z).")
    return value


def check_siret(value: str) -> str:
    """Fourteen digits (blanks removed)."""
    value = value.replace(" ", "")
    if not _SIRET_RE.fullmatch(value):
        _fail("siret", "Le SIRET doit comporter 14 chiffres.")
    return value


def normalize_energy(value: str) -> str:
    """Upper case without accents, one of ``ENERGIES``."""
    energy = catalogue.normalize_brand(value)
    if energy not in ENERGIES:
        _fail("energy", "Énergie inconnue ; valeurs possibles : " + ", ".join(ENERGIES) + ".")
    return energy


def check_trade_date(value: dt.date) -> dt.date:
    """``value`` if its year is within 1900–2100 (9999-12-31 is no warranty start)."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        _fail("date_range", f"La valeur doit être une date entre {MIN_YEAR} et {MAX_YEAR}.")
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def iso_date_text(value):
    """A date sent as text is the date alone, « 2025-11-30 »: pydantic would also take a datetime at
    midnight (« 2025-11-30T00:00:00+02:00 », the 29th in UTC for a parser that converts it), and a
    number as Unix time (« 0 » the 1st of January 1970, in seconds or milliseconds as it guesses)."""
    if (isinstance(value, str) and not _ISO_DATE.fullmatch(value)) or isinstance(value, (int, float)):
        _fail("date_parsing", "Doit être une date au format AAAA-MM-JJ.")
    return value


def __getattr__(name: str):
    # ``TradeDate``, a date of the trade on the API: ISO "2025-11-30", year 1900–2100. Made when a
    # model first names it (PEP 562): code using only the normalisers does not import pydantic.
    if name == "TradeDate":
        from pydantic import AfterValidator, BeforeValidator
        value = globals()["TradeDate"] = Annotated[dt.date, BeforeValidator(iso_date_text),
                                                   AfterValidator(check_trade_date)]
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
