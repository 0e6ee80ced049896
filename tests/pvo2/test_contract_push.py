"""The order page follows its Spoticar declaration: from Déclarer on, the contract number is pushed
(server-sent events) as soon as the centralisateur's signed callback is stored."""
from __future__ import annotations

import json
import threading

import pytest

from common.keys import demo_dms_keys
from tests.dms_helpers import signed_callback
from tests.pvo2.conftest import text

pytestmark = pytest.mark.pvo2

KAROQ = 7414120  # seed order: closed, delivered today, ready to declare
BDC = "SPFR10350103833712"  # what the fake centralisateur answers


def _states(response):
    """The ``data:`` states of an open event stream, as they come."""
    for chunk in response.response:
        chunk = chunk.decode() if isinstance(chunk, bytes) else chunk
        if chunk.startswith("data: "):
            yield json.loads(chunk[len("data: "):])


def test_the_order_page_links_its_declaration_stream(client):
    page = text(client.get(f"/livraisons/{KAROQ}"))
    assert f'data-events-url="/flux/livraisons/{KAROQ}/declaration"' in page and 'data-status=""' in page
    assert client.get("/flux/livraisons/999999/declaration").status_code == 404


def test_the_order_page_can_poll_its_declaration_state(client, fake_centralisateur):
    assert f'data-state-url="/livraisons/{KAROQ}/declaration/etat"' in text(client.get(f"/livraisons/{KAROQ}"))
    assert client.get(f"/livraisons/{KAROQ}/declaration/etat").get_json() == {"status": None}
    assert client.post(f"/livraisons/{KAROQ}/declarer", data={"garantisseur": "spoticar"}).status_code == 303
    state = client.get(f"/livraisons/{KAROQ}/declaration/etat").get_json()
    assert (state["status"], state["status_text"], state["bdc_number"], state["contract_number"]) == (
        "pending", "Transmise au centralisateur : déclaration à compléter", BDC, None)
    assert client.get("/livraisons/999999/declaration/etat").status_code == 404


def test_the_contract_number_is_pushed_to_the_order_when_the_callback_lands(client, app, fake_centralisateur):
    assert client.post(f"/livraisons/{KAROQ}/declarer", data={"garantisseur": "spoticar"}).status_code == 303
    stream = client.get(f"/flux/livraisons/{KAROQ}/declaration", buffered=False)
    assert stream.status_code == 200 and stream.mimetype == "text/event-stream"
    states = _states(stream)
    first = next(states)
    assert (first["status"], first["bdc_number"], first["contract_number"]) == ("pending", BDC, None)
    declared = {"bdc_number": BDC, "status": "declared", "contract_number": "22511015260",
                "garantisseur": "Garantie SPOTICAR Stellantis"}
    callback = threading.Thread(target=lambda: signed_callback(app.test_client(), declared, demo_dms_keys()["pvo2"]))
    callback.start()
    assert next(states) == {"status": "declared", "status_text": "Garantie déclarée", "bdc_number": BDC,
                            "declaration_url": first["declaration_url"], "contract_number": "22511015260"}
    assert list(states) == []  # a final state ends the stream
    callback.join()
    assert "Numéro de contrat : 22511015260" in text(client.get(f"/livraisons/{KAROQ}"))
