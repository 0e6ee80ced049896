"""Outage switches on the contract API (/admin/faults): latency, errors, dropped connections."""
from __future__ import annotations

import time

import httpx
import pytest

from common.serve import AppServer
from simulators.icare import create_app
from tests.icare.conftest import SERVICE_KEY, TEST_KEY, api_sale
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.icare

HEADERS = {"Authorization": f"Bearer {SERVICE_KEY}"}


def test_error_status_for_the_next_calls_then_back(client, factory):
    contract = api_sale(client, factory, "FR10350")
    state = client.put("/admin/faults", json={"error_status": 503, "count": 2}).get_json()
    assert state["active"] and state["remaining"] == 2
    for _ in range(2):
        response = client.get(f"/api/v1/contracts/{contract['contract_number']}", headers=HEADERS)
        assert response.status_code == 503
        assert "Panne simulée" in response.get_json()["errors"][0]["message"]
    assert client.get(f"/api/v1/contracts/{contract['contract_number']}", headers=HEADERS).status_code == 200
    assert client.get("/admin/faults").get_json() == {"active": False, "fault": None, "remaining": None,
                                                      "hits": 2, "dealers": {}}


def test_a_fault_for_one_point_of_sale_leaves_the_others_served(client, factory):
    """Two certification sessions at once each break Icare for their own dealer only."""
    mine, other = factory.rrdi(), factory.rrdi()
    assert client.put("/admin/faults", json={"error_status": 503, "count": 1, "rrdi": mine}).status_code == 200
    assert client.get("/admin/faults").get_json()["dealers"] == {
        mine: {"fault": {"latency_ms": 0, "error_status": 503, "drop_connection": False, "count": 1},
               "remaining": 1, "hits": 0}}
    assert client.post("/api/v1/npo", json={"rrdi": other}, headers=HEADERS).status_code == 422
    assert client.get("/api/v1/contracts?plate=AA-123-AA", headers=HEADERS).status_code == 200
    failed = client.post("/api/v1/npo", json={"rrdi": mine, "bdc_number": "x"}, headers=HEADERS)
    assert failed.status_code == 503 and "Panne simulée" in failed.get_json()["errors"][0]["message"]
    answer = client.post("/api/v1/npo", json={"rrdi": mine, "bdc_number": "x"}, headers=HEADERS)
    assert answer.status_code == 422    # served, the body read by the app: its fields are judged
    assert "code_t" in {e["field"] for e in answer.get_json()["errors"]}
    assert client.get("/admin/faults").get_json()["dealers"] == {}


def test_fault_until_cleared_and_portal_untouched(client, factory):
    client.put("/admin/faults", json={"error_status": 500})
    assert client.get("/api/v1/contracts?plate=AA-123-AA", headers=HEADERS).status_code == 500
    assert client.get("/connexion").status_code == 200  # only the contract API fails
    assert client.delete("/admin/faults").get_json()["active"] is False
    assert client.get("/api/v1/contracts?plate=AA-123-AA", headers=HEADERS).status_code == 200


def test_latency(client):
    client.put("/admin/faults", json={"latency_ms": 300, "count": 1})
    start = time.perf_counter()
    assert client.get("/api/v1/contracts?plate=AA-123-AA", headers=HEADERS).status_code == 200
    assert time.perf_counter() - start >= 0.3


@pytest.mark.parametrize("body", [{"error_status": 200}, {"latency_ms": -1}, {"count": 0}, {"boom": 1}])
def test_bad_fault_is_a_422(client, body):
    response = client.put("/admin/faults", json=body)
    assert response.status_code == 422 and response.get_json()["errors"]
    assert client.get("/admin/faults").get_json()["active"] is False


def test_fault_endpoint_only_in_test_or_demo_mode(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path), "ICARE_SERVICE_KEY": SERVICE_KEY})
    assert app.test_client().put("/admin/faults", json={"error_status": 503}).status_code == 404
    app.extensions["db"].dispose()


def test_dropped_connection_is_a_transport_error(app):
    server = AppServer.bind("127.0.0.1", 0).mount(app).start()
    try:
        with httpx.Client(verify=tls_context(), base_url=server.url, timeout=5) as http:
            assert http.put("/admin/faults", json={"drop_connection": True, "count": 1},
                            headers={"X-Spoticar-Test-Key": TEST_KEY}).status_code == 200
            with pytest.raises(httpx.TransportError):
                http.get("/api/v1/contracts?plate=AA-123-AA", headers=HEADERS)
            assert http.get("/api/v1/contracts?plate=AA-123-AA", headers=HEADERS).status_code == 200
    finally:
        server.stop()
