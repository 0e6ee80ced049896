"""Form parsing for the PVO2 screens: pydantic models at the edge, French lines for the user."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from common.dates import parse_fr_date
from common.errors import french_errors


def _blank_to_none(value):
    return None if isinstance(value, str) and not value.strip() else value


def _fr_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    parsed = parse_fr_date(value)
    if parsed is None:
        raise ValueError("date")
    return parsed


Required = Annotated[str, BeforeValidator(_blank_to_none), Field(min_length=1, max_length=120)]
Optional = Annotated[str, Field(max_length=120)]
FrDate = Annotated[dt.date | None, BeforeValidator(_blank_to_none), BeforeValidator(_fr_date)]


class FormModel(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    LABELS: ClassVar[dict[str, str]] = {}


def parse(model: type[FormModel], form) -> tuple[FormModel | None, list[str], set[str]]:
    """(values, [], set()) or (None, ["Libellé : Champ obligatoire.", …], {invalid field names})."""
    try:
        return model.model_validate(dict(form.items())), [], set()
    except ValidationError as exc:
        lines, fields = [], set()
        for error in french_errors(exc):
            name = error["field"].split(".")[0]
            fields.add(name)
            message = error["message"].removeprefix("Value error, ")
            if not str(form.get(name, "")).strip():
                message = "Champ obligatoire."
            elif message == "date":
                message = "Date invalide (format JJ/MM/AAAA)."
            lines.append(f"{model.LABELS.get(name, name)} : {message}")
        return None, lines, fields
