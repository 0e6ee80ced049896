"""The hand-off's lean path (``centralisateur.api_lean``) over real HTTP: an accepted sale is answered
before Flask, every other case by the view; a DMS cannot tell which one answered."""
from __future__ import annotations

import pytest

from tests.centralisateur.support import api_client
from tests.journal.support import OUTSIDE_PARENT, OUTSIDE_TRACE, journal

pytestmark = pytest.mark.centralisateur

SAME_ON_EVERY_ANSWER = ("content-type", "x-content-type-options", "cache-control", "referrer-policy",
                        "content-security-policy")


@pytest.fixture
def api(stack):
    with api_client(stack) as client:
        yield client


def test_accepted_and_refused_handoffs_carry_the_same_headers(api, factory):
    accepted = api.post("/api/v1/handoffs", json=factory.handoff())
    refused = api.post("/api/v1/handoffs", json=factory.handoff(vehicle=factory.vehicle("brand")))
    assert (accepted.status_code, refused.status_code) == (201, 422)
    assert refused.json()["errors"][0]["field"] == "vehicle.brand"
    for name in SAME_ON_EVERY_ANSWER:
        assert accepted.headers[name] == refused.headers[name], name
    assert accepted.headers["content-type"] == "application/json"
    assert int(accepted.headers["content-length"]) == len(accepted.content)


def test_body_read_by_the_lean_path_reaches_the_view_whole(api, factory):
    # a valid body the lean path reads, then leaves to the view: the view parses it again
    other_dms = api.post("/api/v1/handoffs", json=factory.handoff(source_dms="pvo2"))
    assert other_dms.status_code == 403
    assert other_dms.json()["errors"] == [{"field": "source_dms", "message": (
        "Cette clé d'API est celle du DMS tec3h : elle ne peut pas déclarer pour le DMS pvo2.")}]
    unknown = api.post("/api/v1/handoffs", json=factory.handoff(rrdi="999999Z"))
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == [{"field": "dealer.rrdi",
                                         "message": "Code RRDI 999999Z inconnu du centralisateur Spoticar."}]


def test_order_sent_again_is_the_same_handoff_with_its_corrections(api, factory):
    payload = factory.handoff()
    first = api.post("/api/v1/handoffs", json=payload)
    payload["vehicle"]["plate"] = "AB-12"
    again = api.post("/api/v1/handoffs", json=payload)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["bdc_number"] == first.json()["bdc_number"]
    assert [w["field"] for w in again.json()["warnings"]] == ["vehicle.plate"]
    assert "Immatriculation*" in again.json()["warnings"][0]["message"]


def test_accepted_handoff_is_journalled_in_the_callers_trace(api, stack, factory):
    created = api.post("/api/v1/handoffs", json=factory.handoff(), headers={"traceparent": OUTSIDE_PARENT})
    assert created.status_code == 201
    bdc = created.json()["bdc_number"]
    entries = [e for e in journal(stack, "centralisateur", bdc=bdc) if e["path"] == "/api/v1/handoffs"]
    assert len(entries) == 1
    entry = entries[0]
    assert (entry["direction"], entry["method"], entry["status"]) == ("in", "POST", 201)
    assert entry["trace_id"] == OUTSIDE_TRACE and entry["bdc"] == bdc
    assert bdc in entry["response"]["body"]
