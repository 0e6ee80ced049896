"""Server-side checks of the Tec3H forms: one French message per field, values kept for re-display.

    check = FormCheck(request.form)
    plate = check.plate("plate", "Immatriculation", required=True)
    if check.errors: ...   # {field: message}
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic_core import PydanticCustomError

from centralisateur import contract
from common.parsing import ParseError, parse_date, parse_decimal, parse_int


class FormCheck:
    """Reads fields from a form mapping; each reader returns the cleaned value or None and records
    a message in ``errors`` (field name → French message) when the value is missing or malformed."""

    def __init__(self, form):
        self.form = form
        self.errors: dict[str, str] = {}

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def raw(self, name: str) -> str:
        return (self.form.get(name) or "").strip()

    def text(self, name: str, label: str, required: bool = False, max_length: int = 120) -> str | None:
        value = self.raw(name)
        if not value:
            if required:
                self.fail(name, f"Le champ {label} est obligatoire.")
            return None
        if len(value) > max_length:
            self.fail(name, f"Le champ {label} accepte au plus {max_length} caractères.")
        return value

    def choice(self, name: str, label: str, options, required: bool = True) -> str | None:
        value = self.text(name, label, required)
        if value is not None and value not in options:
            self.fail(name, f"Le champ {label} doit être choisi dans la liste.")
            return None
        return value

    def date(self, name: str, label: str, required: bool = False, past: bool = False) -> dt.date | None:
        value = self.text(name, label, required)
        if value is None:
            return None
        try:
            parsed = parse_date(value, label=label)
        except ParseError as exc:
            self.fail(name, exc.message)
            return None
        if past and parsed > dt.date.today():
            self.fail(name, f"Le champ {label} ne peut pas être dans le futur.")
        return parsed

    def integer(self, name: str, label: str, required: bool = False, low: int = 0,
                high: int = 10_000_000) -> int | None:
        value = self.text(name, label, required)
        if value is None:
            return None
        try:
            return parse_int(value, label=label, minimum=low, maximum=high)
        except ParseError as exc:
            self.fail(name, exc.message)
            return None

    def money(self, name: str, label: str, required: bool = False) -> Decimal | None:
        value = self.text(name, label, required)
        if value is None:
            return None
        try:
            return parse_decimal(value, label=label)
        except ParseError as exc:
            self.fail(name, exc.message)
            return None

    def _wire(self, name: str, label: str, required: bool, check) -> str | None:
        value = self.text(name, label, required)
        if value is None:
            return None
        try:
            return check(value)
        except PydanticCustomError as exc:
            self.fail(name, exc.message())
            return None

    def plate(self, name: str, label: str, required: bool = False) -> str | None:
        return self._wire(name, label, required, contract.normalize_plate)

    def vin(self, name: str, label: str, required: bool = False) -> str | None:
        return self._wire(name, label, required, contract.normalize_vin)

    def phone(self, name: str, label: str, required: bool = False) -> str | None:
        return self._wire(name, label, required, contract.normalize_phone)

    def email(self, name: str, label: str, required: bool = False) -> str | None:
        return self._wire(name, label, required, contract.check_email)

    def postcode(self, name: str, label: str, required: bool = False) -> str | None:
        return self._wire(name, label, required, contract.check_postcode)

    def siret(self, name: str, label: str, required: bool = False) -> str | None:
        return self._wire(name, label, required, contract.check_siret)
