"""The format checks of the hand-off fields (plate, VIN, phone, email, postcode, SIRET), imported
from ONE place so the forms and the API can never disagree on a pattern.

Each check takes the typed text and returns the normalised value, or raises with a French sentence.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable

# The hand-off SDK's normalisers: one plate pattern, one email check for the whole tree.
from spoticar_handoff.fields import (check_email, check_postcode, check_siret, normalize_phone,
                                     normalize_plate, normalize_vin)

Check = Callable[[str], str]


# The marks a letter of an address may carry: those of French and its neighbours' names (é è ê ë ç ñ å
# ő č ą…). A mark below the letter (ḷ ị ọ) or a dot above it is not among them: at a login form's size
# such a letter reads as the plain one, the look-alike of another account's address.
_MARKS = frozenset("\u0300\u0301\u0302\u0303\u0306\u0308\u030a\u030b\u030c\u0327\u0328")
_LETTERS = frozenset("æœøßłđÆŒØŁĐ")  # Latin letters of their own, with no decomposition


def _latin_letter(char: str) -> bool:
    """A letter of a French (or other Western Latin) address beyond ASCII: an ASCII letter with one
    accent of ``_MARKS`` (é, ç, Ô…: its canonical decomposition is that letter and the mark), or one of
    ``_LETTERS`` (« æ », « œ », « ø », « ß »…)."""
    if char in _LETTERS:
        return True
    parts = unicodedata.normalize("NFD", char)
    return len(parts) == 2 and parts[0].isascii() and parts[0].isalpha() and parts[1] in _MARKS


def check_login_email(value: str) -> str:
    """An email naming an account: the one email check, its letters Latin, accented or not (an
    internationalised address such as « hélène@… » is an account's as it always was), but no
    look-alike letter of another script (a Cyrillic « о »), no Latin one without an accent of its own
    (a dotless « ı »), no invisible character (a joiner), no lone combining mark."""
    if not value.isascii() and not all(char.isascii() or _latin_letter(char) for char in value):
        raise ValueError("L'adresse email d'un compte ne peut contenir que des lettres latines (accentuées "
                         "ou non), des chiffres et les signes . - _ + @.")
    return check_email(value)


CHECKS: dict[str, Check] = {
    "plate": normalize_plate, "vin": normalize_vin, "phone": normalize_phone, "email": check_email,
    "login_email": check_login_email, "postcode": check_postcode, "siret": check_siret,
}


def run(kind: str, text: str) -> str:
    """The normalised ``text`` for format ``kind``; ``ValueError`` with the French sentence if not."""
    try:
        return CHECKS[kind](text)
    except Exception as exc:
        # the checks refuse with pydantic-core's error, imported by then: not needed before a refusal
        from pydantic_core import PydanticCustomError
        if isinstance(exc, PydanticCustomError):
            raise ValueError(exc.message()) from None
        raise


def is_valid(kind: str, text: str) -> bool:
    """Whether ``text`` passes format ``kind`` (for code that only needs a yes/no, e.g. a search box)."""
    try:
        run(kind, text)
    except ValueError:
        return False
    return True
