"""Server-side checks of the Tec3H forms: one French message per field, values kept for re-display.

    check = FormCheck(request.form)
    plate = check.plate("plate", "Immatriculation", required=True)
    if check.errors: ...   # {field: message}
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from pydantic_core import PydanticCustomError

from common.dates import parse_fr_date
from spoticar_handoff import fields as formats


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
        parsed = parse_fr_date(value)
        if parsed is None:
            self.fail(name, f"Le champ {label} doit être une date au format JJ/MM/AAAA.")
        elif past and parsed > dt.date.today():
            self.fail(name, f"Le champ {label} ne peut pas être dans le futur.")
        return parsed

    def integer(self, name: str, label: str, required: bool = False, low: int = 0,
                high: int = 10_000_000) -> int | None:
        value = self.text(name, label, required)
        if value is None:
            return None
        compact = value.replace(" ", "").replace("\u202f", "")
        if not re.fullmatch(r"[0-9]+", compact) or not low <= int(compact) <= high:
            self.fail(name, f"Le champ {label} doit être un nombre entier entre {low} et {high}.")
            return None
        return int(compact)

    def money(self, name: str, label: str, required: bool = False) -> Decimal | None:
        value = self.text(name, label, required)
        if value is None:
            return None
        try:
            amount = Decimal(value.replace(" ", "").replace("€", "").replace(",", "."))
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or not 0 <= amount <= 10_000_000:
            self.fail(name, f"Le champ {label} doit être un montant (ex. 10290,76).")
            return None
        return amount.quantize(Decimal("0.01"))

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
        return self._wire(name, label, required, formats.normalize_plate)

    def vin(self, name: str, label: str, required: bool = False) -> str | None:
        return self._wire(name, label, required, formats.normalize_vin)

    def phone(self, name: str, label: str, required: bool = False) -> str | None:
        return self._wire(name, label, required, formats.normalize_phone)

    def email(self, name: str, label: str, required: bool = False) -> str | None:
        return self._wire(name, label, required, formats.check_email)

    def postcode(self, name: str, label: str, required: bool = False) -> str | None:
        return self._wire(name, label, required, formats.check_postcode)

    def siret(self, name: str, label: str, required: bool = False) -> str | None:
        return self._wire(name, label, required, formats.check_siret)
