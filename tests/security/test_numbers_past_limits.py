"""Numbers and times past what Python's own types hold, in the places that read them without
common.parsing's forms: Python refuses to read an integer of over 4,300 digits (ValueError) and a
time whose UTC moment falls past year 9999 or before year 1 (OverflowError). Each is a French 4xx on
every app, never a 500."""
from __future__ import annotations

import json
import uuid

import httpx
import pytest

from harness.apps import available_apps
from spoticar_handoff import CALLBACK_PATH
from spoticar_handoff.callbacks import signature

pytestmark = pytest.mark.centralisateur

APPS = [spec.name for spec in available_apps()]
DIGITS = "1" * 5000


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("params,field,words", [
    ({"since": "9999-12-31T23:59:59-23:59"}, "since", "Date « since » invalide"),
    ({"since": "0001-01-01T00:00:00+23:59"}, "since", "Date « since » invalide"),
    ({"limit": DIGITS}, "limit", "« limit » doit être un entier de 1 à"),
])
def test_journal_filters_past_pythons_limits_are_a_french_400(stack, app, params, field, words):
    response = httpx.get(stack.url(app) + "/__admin/journal", params=params, timeout=20)
    assert response.status_code == 400, response.text[:300]
    [error] = response.json()["errors"]
    assert error["field"] == field and words in error["message"]


@pytest.mark.parametrize("dms", ["pvo2", "tec3h", "bee2link", "neovo"])
def test_a_signed_callback_with_a_5000_digit_timestamp_is_refused(stack, dms):
    """Signed with the DMS's key (the signature is checked first): the timestamp is then read."""
    body = json.dumps({"bdc_number": "SP953617Z100000001", "status": "declared"}).encode()
    delivery, key = uuid.uuid4().hex, stack.credentials.dms_key(dms)
    headers = {"Content-Type": "application/json", "X-Spoticar-Timestamp": DIGITS, "X-Spoticar-Delivery": delivery,
               "X-Spoticar-Signature": signature(body, key, DIGITS, delivery)}
    response = httpx.post(stack.url(dms) + CALLBACK_PATH, content=body, headers=headers, timeout=20)
    assert response.status_code == 401, response.text[:300]
    assert response.json()["errors"][0]["message"].startswith(
        "Rappel refusé : horodatage X-Spoticar-Timestamp périmé")
