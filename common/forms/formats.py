"""The format checks of the hand-off fields (plate, VIN, phone, email, postcode, SIRET), imported
from ONE place so the forms and the API can never disagree on a pattern.

Each check takes the typed text and returns the normalised value, or raises with a French sentence.
"""
from __future__ import annotations

from collections.abc import Callable

# The hand-off SDK's normalisers: one plate pattern, one email check for the whole tree.
from spoticar_handoff.fields import (check_email, check_postcode, check_siret, normalize_phone,
                                     normalize_plate, normalize_vin)

Check = Callable[[str], str]


def check_login_email(value: str) -> str:
    """An email naming an account: the one email check, in ASCII only (no look-alike letters of
    other scripts, no invisible characters)."""
    if not value.isascii():
        raise ValueError("L'adresse email d'un compte ne peut contenir que des lettres sans accent, des "
                         "chiffres et les signes . - _ + @.")
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
