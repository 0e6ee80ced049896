"""``Opt`` runs the blank-to-None step once (its own), not again inside a ``_text`` type: a field
validates, errs and documents itself exactly as with both steps, for every type the models make
optional."""
from __future__ import annotations

import json
from typing import Annotated

import pytest
from pydantic import BeforeValidator, ValidationError, create_model

from spoticar_handoff import models
from spoticar_handoff.models import Opt, WireModel, _blank_to_none


def reference_opt(t):
    """``Opt`` as it was written before: the blank-to-None step around ``t``, whatever ``t`` holds."""
    return Annotated[t | None, BeforeValidator(_blank_to_none)]


TYPES = {"name": models.Name, "text": models.Text, "plate": models.Plate, "vin": models.Vin,
         "phone": models.Phone, "email": models.Email, "postcode": models.Postcode, "siret": models.Siret,
         "energy": models.Energy}
New = create_model("New", __base__=WireModel, **{k: (Opt(t), None) for k, t in TYPES.items()})
Old = create_model("Old", __base__=WireModel, **{k: (reference_opt(t), None) for k, t in TYPES.items()})

VALUES = [None, "", " ", "\t\n ", "a", " Jean ", "é" * 80, "é" * 81, "x" * 121, "x" * 300, 0, 1, 7.5, True,
          False, [], ["a"], {}, {"a": 1}, "aa123aa", "AA 123 AA", "vf3abcdefgh123456", "01 02 03 04 05",
          "+33102030405", "jean@exemple.fr", "jean@", "75001", "7500", "123 456 789 01234", "essence",
          "Électrique", "inconnue", "\u00a0", "\u2028", "a\u0000b"]


def outcome(model, body: str):
    try:
        return "ok", model.model_validate_json(body).model_dump()
    except ValidationError as exc:
        return "errors", [(e["type"], e["loc"], e["msg"]) for e in exc.errors()]


def test_the_types_keep_their_schema():
    assert {**New.model_json_schema(), "title": "Old"} == Old.model_json_schema()


@pytest.mark.parametrize("field", sorted(TYPES))
def test_every_value_validates_as_before(field):
    for value in VALUES:
        body = json.dumps({field: value})
        assert outcome(New, body) == outcome(Old, body), (field, value)
        assert outcome(New, json.dumps({field: value, "other": 1})) == outcome(Old, json.dumps({field: value, "other": 1}))


def test_a_required_text_still_turns_blank_into_missing():
    # ``Name`` alone (a required field) keeps its own blank-to-None step: " " is refused, not kept
    Required = create_model("Required", __base__=WireModel, last_name=(models.Name, ...))
    with pytest.raises(ValidationError) as refused:
        Required.model_validate_json('{"last_name": "  "}')
    assert refused.value.errors()[0]["type"] == "string_type"
