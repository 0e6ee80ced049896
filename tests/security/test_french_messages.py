"""Every validation message the APIs can give is French: each pydantic error type, and real hostile
hand-offs and Icare contracts (the wording pydantic gives in English never reaches a DMS)."""
from __future__ import annotations

import re
import typing

import pytest
from pydantic_core import core_schema

from common.errors import french_message
from fixtures import reference
from fixtures.icare_factories import icare_sale
from tests.centralisateur.support import api_client

pytestmark = pytest.mark.centralisateur

ENGLISH = re.compile(r"\b(Input|should|Unable|parse|valid|Value error|Field|required|must|string|"
                     r"integer|greater|less|characters?|items?)\b")


@pytest.mark.parametrize("kind", typing.get_args(core_schema.ErrorType))
def test_every_pydantic_error_type_is_translated(kind):
    message = french_message({"type": kind, "loc": ("x",), "msg": "Input should be a valid thing",
                              "input": None, "ctx": {}})
    assert message and not ENGLISH.search(message)


HOSTILE = [
    ("vehicle", "din_power", 1e20), ("vehicle", "din_power", "abc"), ("vehicle", "din_power", 1.5),
    ("vehicle", "din_power", True), ("vehicle", "din_power", []), ("vehicle", "mileage_km", -1),
    ("vehicle", "mileage_km", 10**30), ("vehicle", "first_registration", "30/11/2025"),
    ("vehicle", "first_registration", "9999-12-31"), ("vehicle", "plate", {"a": 1}),
    ("vehicle", "vin", "x" * 5000), ("customer", "email", 12), ("customer", "birth_date", "demain"),
    ("warranty", "start_date", 20251130), ("warranty", "duration_months", "douze"),
    ("sale", "sale_date", None), ("dealer", "rrdi", None), ("vehicle", "nouveau_champ", 1),
    ("warranty", "label", "INCONNU"), ("sale", "price_ttc", "NaN"), ("sale", "price_ttc", "1e400"),
]


def test_din_power_1e20_is_refused_in_french(stack, factory):
    payload = factory.handoff()
    payload["vehicle"]["din_power"] = 1e20
    with api_client(stack) as api:
        response = api.post("/api/v1/handoffs", json=payload)
    assert response.status_code == 422
    assert {"field": "vehicle.din_power", "message": "Nombre trop grand."} in response.json()["errors"]


def test_hostile_handoff_fields_get_french_messages(stack, factory):
    with api_client(stack) as api:
        for section, name, value in HOSTILE:
            payload = factory.handoff()
            payload.setdefault(section, {})[name] = value
            response = api.post("/api/v1/handoffs", json=payload)
            assert response.status_code in (200, 201, 422), (section, name, value, response.text)
            for error in response.json().get("errors", []):
                assert not ENGLISH.search(error["message"]), (section, name, value, error)
                assert "{" not in error["message"]
    with api_client(stack) as api:
        for body in ([], "texte", 12, None, {"dealer": []}):
            response = api.post("/api/v1/handoffs", json=body)
            assert response.status_code in (400, 415, 422)
            assert all(not ENGLISH.search(e["message"]) for e in response.json()["errors"]), body


def test_icare_contract_api_answers_in_french(stack, factory):
    import httpx
    _npo, contract = icare_sale(factory, reference.demo_dealer("953617Z"))
    for name, value in (("duration_months", 1e20), ("start_date", "x"), ("vehicle", None), ("label", 3)):
        response = httpx.post(stack.url("icare") + "/api/v1/contracts", json={**contract, name: value},
                              headers=stack.credentials.icare_headers(), timeout=20)
        assert response.status_code == 422
        assert all(not ENGLISH.search(e["message"]) for e in response.json()["errors"]), response.text
