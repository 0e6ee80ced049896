"""The hand-off's ``warnings``: what the dealer will have to correct on the declaration form (2/3).

A value the dealer can correct on the form (plate, VIN, phone, postcode, email, dates, a field the
form requires) never makes the hand-off fail: it arrives as it was sent, and each problem becomes a
warning naming the form label it will block ("Immatriculation*"). The centralisateur puts them in its
201 answer; a DMS, a certification check or the form itself can compute them from a payload.
"""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from spoticar_handoff.form_fields import (BY_NAME, DEFAULT_MAX_DAYS_AFTER_DELIVERY, DEFAULTS, FIELDS, date_problems,
                                         dig, warranty_date_problems)
from spoticar_handoff.models import HandoffWarning

TO_FIX = "À corriger sur le formulaire de déclaration (2/3) avant de déclarer."
TO_FILL = "À compléter sur le formulaire de déclaration (2/3) avant de déclarer."


def _warning(field_name: str, text: str, todo: str = TO_FIX) -> HandoffWarning:
    field = BY_NAME[field_name]
    return HandoffWarning(field=field.source, message=f"« {field.label} » : {text.rstrip('.')}. {todo}")


# The form's fields the hand-off pre-fills and that can block the form: (field, the section of the
# payload holding it ("vehicle", "" for the top level), its key there, whether a blank one must be
# filled in, its format check); every hand-off goes through this loop, so nothing in it is worked out
# twice, each section is looked up once, and a field that can never warn is not visited
_SOURCED = tuple(entry for entry in ((f, *f.source.rpartition(".")[::2], f.required and f.name not in DEFAULTS, f.check)
                                     for f in FIELDS if f.source) if entry[3] or entry[4] is not None)


def handoff_warnings(payload: dict | BaseModel, *,
                     max_days_after_delivery: int = DEFAULT_MAX_DAYS_AFTER_DELIVERY,
                     today: dt.date | None = None) -> list[HandoffWarning]:
    """Every warning of a hand-off (a ``HandoffIn`` or its JSON form, as stored), in form order:
    required fields missing, values the form will refuse, dates that contradict each other, and
    rule 4's warranty dates (a start before the sale, a delivery more than
    ``max_days_after_delivery`` days before ``today``)."""
    if isinstance(payload, BaseModel):
        payload = payload.model_dump(mode="json")
    found = []
    sections = {"": payload if isinstance(payload, dict) else {}}
    for field, section, key, must_fill, check in _SOURCED:
        values = sections.get(section)
        if values is None:
            values = dig(payload, section)
            values = sections[section] = values if isinstance(values, dict) else {}
        value = values.get(key)
        if value is None or value == "" or value == []:
            if must_fill:
                found.append(_warning(field.name, "champ absent, obligatoire pour déclarer", TO_FILL))
        elif check is not None:
            try:
                check(str(value))
            except PydanticCustomError as exc:
                found.append(_warning(field.name, exc.message()))
    dates = {name: dig(payload, BY_NAME[name].source)
             for name in ("delivery_date", "first_registration", "birth_date")}
    dates["sale_date"] = dig(payload, "sale.sale_date")
    found += [_warning(name, message) for name, message in date_problems(dates)]
    dates["start_date"] = dig(payload, BY_NAME["start_date"].source)
    found += [_warning(name, message)
              for name, message in warranty_date_problems(dates, max_days_after_delivery, today)]
    return found
