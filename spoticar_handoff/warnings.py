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


def _text(field_name: str, text: str, todo: str = TO_FIX) -> tuple[str, str]:
    field = BY_NAME[field_name]
    return field.source, f"« {field.label} » : {text.rstrip('.')}. {todo}"


# The form's fields the hand-off pre-fills and that can block the form, grouped by the section of the
# payload holding them ("vehicle", "" for the top level): (section, ((form order, field name, its key
# there, whether a blank one must be filled in, its format check), ...)). Every hand-off goes through
# this loop, so nothing in it is worked out twice, each section is looked up once, and a field that
# can never warn is not visited; the warnings found are put back in form order.
def _by_section() -> tuple:
    sections: dict[str, list] = {}
    for order, f in enumerate(FIELDS):
        if not f.source:
            continue
        section, _, key = f.source.rpartition(".")
        must_fill = f.required and f.name not in DEFAULTS
        if must_fill or f.check is not None:
            sections.setdefault(section, []).append((order, f.name, key, must_fill, f.check))
    return tuple((section, tuple(entries)) for section, entries in sections.items())


_SECTIONS = _by_section()
_MISSING = "champ absent, obligatoire pour déclarer"


def warning_texts(payload: dict, *, max_days_after_delivery: int = DEFAULT_MAX_DAYS_AFTER_DELIVERY,
                  today: dt.date | None = None) -> list[tuple[str, str]]:
    """``handoff_warnings`` as ``(field, message)`` pairs, of a hand-off's JSON form (as stored):
    what the API's receipt writes, without a model per warning."""
    found = []
    sections = {"": payload if isinstance(payload, dict) else {}}
    for section, entries in _SECTIONS:
        values = sections.get(section)
        if values is None:
            values = dig(payload, section)
            values = sections[section] = values if isinstance(values, dict) else {}
        get = values.get
        for order, name, key, must_fill, check in entries:
            value = get(key)
            if not value and (value is None or value == "" or value == []):  # 0 and False are values
                if must_fill:
                    found.append((order, name, _MISSING, TO_FILL))
            elif check is not None:
                try:
                    check(str(value))
                except PydanticCustomError as exc:
                    found.append((order, name, exc.message(), TO_FIX))
    if len(found) > 1:
        found.sort(key=lambda entry: entry[0])
    texts = [_text(name, text, todo) for _order, name, text, todo in found]

    def at(path: str):
        section, _, key = path.rpartition(".")
        values = sections.get(section)
        return dig(payload, path) if values is None else values.get(key)

    dates = {name: at(BY_NAME[name].source) for name in ("delivery_date", "first_registration", "birth_date")}
    dates["sale_date"] = at("sale.sale_date")
    texts += [_text(name, message) for name, message in date_problems(dates)]
    dates["start_date"] = at(BY_NAME["start_date"].source)
    texts += [_text(name, message)
              for name, message in warranty_date_problems(dates, max_days_after_delivery, today)]
    return texts


def handoff_warnings(payload: dict | BaseModel, *,
                     max_days_after_delivery: int = DEFAULT_MAX_DAYS_AFTER_DELIVERY,
                     today: dt.date | None = None) -> list[HandoffWarning]:
    """Every warning of a hand-off (a ``HandoffIn`` or its JSON form, as stored), in form order:
    required fields missing, values the form will refuse, dates that contradict each other, and
    rule 4's warranty dates (a start before the sale, a delivery more than
    ``max_days_after_delivery`` days before ``today``)."""
    if isinstance(payload, BaseModel):
        payload = payload.model_dump(mode="json")
    return [HandoffWarning(field=field, message=message) for field, message in
            warning_texts(payload, max_days_after_delivery=max_days_after_delivery, today=today)]
