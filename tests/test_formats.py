"""French formats from one module (Babel): what every screen shows."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from common import formats


def test_amounts_numbers_sizes_dates_and_phones_are_french():
    assert formats.euros(Decimal("10290.76")) == "10 290,76 €"
    assert formats.euros(15000) == "15 000,00 €"
    assert formats.euros("16176.5", symbol=False, grouping=False) == "16176,50"
    assert formats.euros(None) == ""
    assert formats.number(190000) == "190 000" and formats.km(48500) == "48 500 km"
    assert formats.size(2048) == "2,0 Ko" and formats.size(3_500_000) == "3,3 Mo"
    assert formats.date(dt.date(2021, 12, 1)) == "01/12/2021"
    assert formats.month_year(dt.date(2021, 1, 1)) == "janv. 2021"
    assert formats.phone("0600000000") == "06 00 00 00 00"
    assert formats.phone("+33 6 00 00 00 00") == "06 00 00 00 00"
    assert formats.phone("06.12") == "06.12"  # not a phone number: shown as typed


def test_length_errors_on_text_speak_of_characters():
    from pydantic import BaseModel, BeforeValidator, Field, ValidationError
    from typing import Annotated

    from common.errors import french_errors

    class Form(BaseModel):
        name: Annotated[str, BeforeValidator(lambda v: v), Field(max_length=120)]
    try:
        Form(name="x" * 130)
    except ValidationError as exc:
        [error] = french_errors(exc)
    assert error["message"] == "Au plus 120 caractères."
