"""The hand-off's lean path (``centralisateur.api_lean``) over real HTTP: an accepted sale is answered
before Flask, every other case by the view; a DMS cannot tell which one answered."""
from __future__ import annotations

import json

import pytest

from centralisateur.api_lean import unknown_hooks
from common.keys import demo_dms_keys
from common.web import NUL_MESSAGE
from tests.journal.support import journal, outside_trace

pytestmark = pytest.mark.centralisateur

SAME_ON_EVERY_ANSWER = ("content-type", "x-content-type-options", "cache-control", "referrer-policy",
                        "content-security-policy")


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


def test_accepted_handoff_is_journalled_in_the_callers_trace(api, stack, factory):
    trace, parent = outside_trace(factory)
    created = api.post("/api/v1/handoffs", json=factory.handoff(), headers={"traceparent": parent})
    assert created.status_code == 201
    bdc = created.json()["bdc_number"]
    entries = [e for e in journal(stack, "centralisateur", bdc=bdc) if e["path"] == "/api/v1/handoffs"]
    assert len(entries) == 1
    entry = entries[0]
    assert (entry["direction"], entry["method"], entry["status"]) == ("in", "POST", 201)
    assert entry["trace_id"] == trace and entry["bdc"] == bdc
    assert bdc in entry["response"]["body"]


@pytest.mark.parametrize("nul", ["\x00", "\\u0000"])
def test_nul_in_an_accepted_looking_handoff_is_refused_in_french(api, factory, nul):
    # the seller's name with a NUL in it, raw or as JSON writes it escaped
    payload = json.dumps(factory.handoff()).replace('"seller": "', '"seller": "' + nul, 1)
    refused = api.post("/api/v1/handoffs", content=payload.encode(), headers={"Content-Type": "application/json"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == NUL_MESSAGE
    with_query = api.post("/api/v1/handoffs?ref=%00", json=factory.handoff())
    assert with_query.status_code == 400 and with_query.json()["errors"][0]["message"] == NUL_MESSAGE


def _centralisateur(tmp_path):
    from centralisateur import create_app, seed_demo
    app = create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "BACKGROUND_JOBS": False,
                      "PUBLIC_URL": "http://127.0.0.1:8000"})
    seed_demo(app)
    return app


def test_every_request_hook_of_the_centralisateur_is_accounted_for_by_the_lean_path(tmp_path):
    # a hook added to the app is a check the lean path does not make: account for it in api_lean
    app = _centralisateur(tmp_path)
    try:
        assert unknown_hooks(app) == []
    finally:
        app.extensions["harness_stop"]()


def test_lean_path_stands_aside_for_a_hook_it_does_not_know(tmp_path, factory):
    app = _centralisateur(tmp_path)
    try:
        @app.before_request
        def _closed_for_maintenance():
            return {"errors": [{"field": None, "message": "Fermé pour maintenance."}]}, 503

        answer = app.test_client().post("/api/v1/handoffs", json=factory.handoff(),
                                        headers={"Authorization": f"Bearer {demo_dms_keys()['tec3h']}"})
        assert answer.status_code == 503 and answer.json["errors"][0]["message"] == "Fermé pour maintenance."
    finally:
        app.extensions["harness_stop"]()
