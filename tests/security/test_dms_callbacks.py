"""A DMS's signed callback endpoint answers a refusal in French without repeating what it was sent: an
unknown bon de commande or a replayed delivery is not echoed back, and an X-Spoticar-Delivery that is
not a plain id of at most 64 characters (it is stored as the replay key) is a 400 — on every DMS."""
from __future__ import annotations

import json
import uuid

import httpx
import pytest

from spoticar_handoff import CALLBACK_PATH, sign_callback

pytestmark = pytest.mark.centralisateur

MARK = "<b>écho</b>"


def _post(stack, dms: str, body: bytes, delivery: str) -> httpx.Response:
    headers = {"Content-Type": "application/json", **sign_callback(body, stack.credentials.dms_key(dms), delivery)}
    return httpx.post(stack.url(dms) + CALLBACK_PATH, content=body, headers=headers, timeout=20)


@pytest.mark.parametrize("dms", ["pvo2", "tec3h", "bee2link", "neovo"])
def test_a_callback_refusal_repeats_nothing_it_was_sent(stack, dms):
    body = json.dumps({"bdc_number": f"SP{MARK}" + "X" * 2000, "status": "declared",
                       "contract_number": "22511015251"}).encode()
    unknown = _post(stack, dms, body, uuid.uuid4().hex)
    assert unknown.status_code == 404, unknown.text[:300]
    assert unknown.json()["errors"][0]["message"] == "Numéro de bon de commande inconnu de ce DMS : rappel ignoré."
    assert "écho" not in unknown.text and "XXXX" not in unknown.text
    for delivery in (f"<b>echo</b>{uuid.uuid4().hex}", "D" * 65):  # a header is ASCII
        refused = _post(stack, dms, body, delivery)
        assert refused.status_code == 400, refused.text[:300]
        assert refused.json()["errors"][0]["message"] == (
            "Rappel refusé : X-Spoticar-Delivery comporte de 1 à 64 lettres sans accent, chiffres ou signes . _ : -.")
        assert "echo" not in refused.text and "DDDD" not in refused.text
