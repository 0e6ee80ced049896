"""The SDK's client against the reference centralisateur over real HTTP, as a vendor would use it."""
from __future__ import annotations

import httpx
import pytest

from spoticar_handoff import CentralisateurUnavailable, HandoffClient, HandoffRefused, is_final
from spoticar_handoff.tls import tls_context


def test_send_then_status_through_the_callers_own_http_client(stack, factory):
    seen = []
    http = httpx.Client(verify=tls_context(), timeout=20, event_hooks={"request": [seen.append]})
    payload = factory.handoff()
    with HandoffClient(stack.url("centralisateur"), "demo-tec3h", http=http) as client:
        receipt = client.send(payload)
        again = client.send(payload)
        state = client.status(receipt.bdc_number)
    assert receipt.bdc_number == again.bdc_number and receipt.warnings == []
    assert (state.status, is_final(state.status)) == ("pending", False)
    assert [r.headers["Authorization"] for r in seen] == ["Bearer demo-tec3h"] * 3
    assert not http.is_closed  # the caller's client is the caller's to close
    http.close()


def test_a_refusal_carries_the_french_errors(stack, factory):
    with HandoffClient(stack.url("centralisateur"), "demo-tec3h") as client:
        with pytest.raises(HandoffRefused) as refused:
            client.send(factory.handoff(vehicle=factory.vehicle(refusal="power")))
        with pytest.raises(HandoffRefused) as unknown:
            client.status("SP953617Z999999999")
    assert refused.value.status == 422 and refused.value.errors[0]["field"] == "vehicle.din_power"
    assert refused.value.message.startswith("Déclaration refusée par le centralisateur : Véhicule non éligible")
    assert unknown.value.status == 404


def test_a_wrong_key_is_refused_and_no_answer_is_unavailable(stack, factory):
    with HandoffClient(stack.url("centralisateur"), "not-a-key") as client:
        with pytest.raises(HandoffRefused) as refused:
            client.send(factory.handoff())
    assert refused.value.status == 401 and "Clé d'API" in refused.value.message
    with HandoffClient("http://127.0.0.1:9", "demo-tec3h", timeout=2) as client:
        with pytest.raises(CentralisateurUnavailable) as down:
            client.status("SP953617Z103833701")
    assert "ne répond pas" in down.value.message
