"""The hand-off's receipt written without models (``api.receipt_body``, ``warnings.warning_texts``,
the declaration link's one-shot HMAC) answers byte for byte what the models wrote: each new function
is compared with the way it was written before (kept here as the reference) over many factory
hand-offs, valid and invalid."""
from __future__ import annotations

import copy
import datetime as dt
import random
import time

import pytest
from itsdangerous import URLSafeTimedSerializer
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from centralisateur import api
from centralisateur.api_links import _token_serializer, declaration_token, declaration_url
from centralisateur.api_store import Stored
from fixtures.factories import Factory
from spoticar_handoff.form_fields import (BY_NAME, DEFAULTS, FIELDS, date_problems, dig,
                                          warranty_date_problems)
from spoticar_handoff.models import HandoffIn, HandoffReceipt, HandoffWarning
from spoticar_handoff.warnings import TO_FILL, TO_FIX, handoff_warnings, warning_texts

pytestmark = pytest.mark.centralisateur


# --- the reference: the functions as they were written before (models, itsdangerous' own HMAC) ---

def _reference_warning(field_name: str, text: str, todo: str = TO_FIX) -> HandoffWarning:
    field = BY_NAME[field_name]
    return HandoffWarning(field=field.source, message=f"« {field.label} » : {text.rstrip('.')}. {todo}")


def reference_warnings(payload, max_days_after_delivery=30, today=None) -> list[HandoffWarning]:
    found = []
    for field in FIELDS:
        if not field.source:
            continue
        value = dig(payload, field.source)
        if value is None or value == "" or value == []:
            if field.required and field.name not in DEFAULTS:
                found.append(_reference_warning(field.name, "champ absent, obligatoire pour déclarer", TO_FILL))
        elif field.check is not None:
            try:
                field.check(str(value))
            except PydanticCustomError as exc:
                found.append(_reference_warning(field.name, exc.message()))
    dates = {name: dig(payload, BY_NAME[name].source) for name in ("delivery_date", "first_registration", "birth_date")}
    dates["sale_date"] = dig(payload, "sale.sale_date")
    found += [_reference_warning(name, message) for name, message in date_problems(dates)]
    dates["start_date"] = dig(payload, BY_NAME["start_date"].source)
    found += [_reference_warning(name, message)
              for name, message in warranty_date_problems(dates, max_days_after_delivery, today)]
    return found


def reference_receipt(app, stored: Stored, payload: dict) -> bytes:
    warnings = reference_warnings(payload, app.config.get("MAX_DAYS_AFTER_DELIVERY", 30)) \
        if stored.status == "pending" else []
    return HandoffReceipt(handoff_id=stored.id, bdc_number=stored.bdc_number,
                          declaration_url=declaration_url(app, stored.id),
                          status=stored.status, warnings=warnings).model_dump_json().encode() + b"\n"


# --- many hand-offs, valid and not -------------------------------------------------------------

_BAD = {
    "vehicle.plate": ["CC333C1", "ab 123 cd", "AA-123-AA", "", "  ", "II-111-OO", 7],
    "vehicle.vin": ["VF3 123", "vf3abcdefgh123456", "VF3ABCDEFGH12345Q", ""],
    "customer.phone": ["01 02", "01.02.03.04.05", "+33102030405", "0", 0],
    "customer.mobile": ["06-07-08-09-10", "abc", None],
    "customer.email": ["jean@", "jean@exemple.fr", "a@b.c", "<x>@y.fr", ""],
    "customer.postcode": ["7500", "75001", "750011", "", None],
    "customer.last_name": ["", None, "  "],
    "customer.birth_date": ["2999-01-01", dt.date.today().isoformat(), "1970-01-01", "pas une date", None],
    "customer.consent": [[], ["email"], None],
    "sale.sale_date": ["2020-01-01", "2999-12-31", "", None],
    "sale.delivery_date": ["2019-01-01", "2000-01-01", "13/12/2024", None],
    "vehicle.first_registration": ["2999-01-01", None, ""],
    "vehicle.mileage_km": [0, None, ""],
    "vehicle.din_power": [0, False, None],
    "warranty.start_date": ["1999-01-01", "mauvaise", None],
    "warranty.product": [None, ""],
    "seller": ["", None, "Vendeur « é » \u2028 \"cité\" \\ \t\n\x01"],
}
_WHOLE = {"sale": [None, "texte", [], {}], "customer": [None, {}, 5], "vehicle": [None, []],
          "warranty": [None, {}]}


def _set(payload: dict, path: str, value) -> None:
    *parents, key = path.split(".")
    for part in parents:
        if not isinstance(payload.get(part), dict):
            return
        payload = payload[part]
    payload[key] = value


def payloads(count: int = 400):
    """Stored payloads (``model_dump(mode="json")`` of a valid hand-off, as the API keeps it) and raw
    bodies, with from none to several fields spoilt."""
    rng = random.Random(15)
    factory = Factory(15)
    out = []
    for i in range(count):
        body = factory.handoff()
        for path in rng.sample(sorted(_BAD), rng.randint(0, 5)):
            _set(body, path, rng.choice(_BAD[path]))
        try:
            out.append(HandoffIn.model_validate(copy.deepcopy(body)).model_dump(mode="json"))
        except ValidationError:
            pass
        if i % 4 == 0:
            for section in rng.sample(sorted(_WHOLE), rng.randint(1, 2)):
                body[section] = rng.choice(_WHOLE[section])
        out.append(body)  # as sent: what a certification check or a stored payload may hold
    out += [{}, [], None, "texte", {"customer": {"phone": 33}}]
    return out


PAYLOADS = payloads()


def test_the_payloads_cover_warnings_of_every_kind():
    fields = {w.field for p in PAYLOADS for w in reference_warnings(p)}
    assert {"vehicle.plate", "vehicle.vin", "customer.phone", "customer.email", "customer.postcode",
            "customer.last_name", "sale.delivery_date", "vehicle.first_registration", "customer.birth_date",
            "warranty.start_date"} <= fields
    counts = {len(reference_warnings(p)) for p in PAYLOADS}
    assert 0 in counts and max(counts) >= 5


@pytest.mark.parametrize("max_days", [30, 7, 100_000])
def test_warnings_are_those_of_the_reference(max_days):
    today = dt.date(2025, 11, 30)
    for payload in PAYLOADS:
        expected = reference_warnings(payload, max_days, today)
        assert handoff_warnings(payload, max_days_after_delivery=max_days, today=today) == expected, payload
        assert warning_texts(payload, max_days_after_delivery=max_days, today=today) == \
            [(w.field, w.message) for w in expected], payload


def test_warnings_of_a_model_are_those_of_its_json_form():
    for payload in PAYLOADS[:100]:
        try:
            handoff = HandoffIn.model_validate(payload)
        except (ValidationError, TypeError):
            continue
        assert handoff_warnings(handoff) == reference_warnings(handoff.model_dump(mode="json"))


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from centralisateur import create_app
    app = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("receipt")), "DEMO_MODE": True,
                      "BACKGROUND_JOBS": False, "PUBLIC_URL": "http://127.0.0.1:8000"})
    yield app
    app.extensions["harness_stop"]()


@pytest.fixture
def frozen_clock(monkeypatch):
    """Both writers read the same second: a token holds the time it is signed at."""
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)


@pytest.mark.parametrize("status", ["pending", "contract_pending", "declared", "refused"])
def test_receipts_are_those_of_the_model_byte_for_byte(app, frozen_clock, status):
    for i, payload in enumerate(PAYLOADS):
        stored = Stored(i + 1, f"SP953617Z{i:09d}", status, i % 2 == 0)
        assert api.receipt_body(app, stored, payload) == reference_receipt(app, stored, payload), payload


def test_a_status_the_model_refuses_is_refused_alike(app):
    stored = Stored(1, "SP953617Z000000001", "inconnu", True)
    with pytest.raises(ValidationError):
        reference_receipt(app, stored, PAYLOADS[0])
    with pytest.raises(ValueError):
        api.receipt_body(app, stored, PAYLOADS[0])


@pytest.mark.parametrize("declaration_id", [1, 255, 256, 2**31, 2**62])
def test_link_tokens_are_itsdangerous_own_and_read_back(app, frozen_clock, declaration_id):
    plain = URLSafeTimedSerializer(app.secret_key, salt="declaration")
    token = declaration_token(app, declaration_id)
    assert token == plain.dumps(declaration_id)  # no trace outside a request: the bare id
    assert plain.loads(token, max_age=60) == declaration_id
    traced = [declaration_id, "4bf92f3577b34da6a3ce929d0e0e4736"]  # a link handed out in a trace
    assert _token_serializer(app).dumps(traced) == plain.dumps(traced)
    for other in (["é\u2028\"\\", None, 1.5, {"b": 1, "a": [True]}], "texte"):  # what the JSON encoder may meet
        assert _token_serializer(app).dumps(other) == plain.dumps(other)
