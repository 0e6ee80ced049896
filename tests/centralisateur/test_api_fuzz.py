"""No value of any field, nor any body, makes the hand-off API answer 5xx (property-based)."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import centralisateur
from common.keys import demo_dms_keys
from fixtures.factories import Factory
from tests.fuzz import has_french_errors, json_values, mutated, paths

DEMO_KEYS = demo_dms_keys()  # the apps under test run in demo mode

pytestmark = pytest.mark.centralisateur

JSON = json_values(["", " ", "2025-02-30", "AA-000-AA", "VF3216S4HXP321000", "<script>", "NaN", "1e999",
                    "particulier", "SPOTICAR", "953617Z", "\u0000", "😀"], biggest=10**20, leaves=6, text_size=40)
EXPECTED = {200, 201, 400, 403, 413, 415, 422}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = centralisateur.create_app({"DATA_DIR": str(tmp_path_factory.mktemp("fuzz")), "DEMO_MODE": True,
                                     "URLS": {"icare": "http://127.0.0.1:9"}})
    centralisateur.seed_demo(app)
    return app.test_client()


BASE = Factory(11).handoff()
PATHS = [p for p in paths(BASE) if p]


def _post(client, body: bytes):
    return client.post("/api/v1/handoffs", data=body, content_type="application/json",
                       headers={"Authorization": f"Bearer {DEMO_KEYS['tec3h']}"})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), value=JSON, delete=st.booleans())
def test_any_value_in_any_field_gets_a_4xx_or_success(client, path, value, delete):
    payload = mutated({**BASE, "dms_order_ref": "FUZZ1"}, path, value, delete)
    response = _post(client, json.dumps(payload).encode())
    assert response.status_code in EXPECTED, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert has_french_errors(response.get_json())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=JSON)
def test_any_json_body_gets_a_4xx_or_success(client, body):
    assert _post(client, json.dumps(body).encode()).status_code in EXPECTED


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_any_bytes_get_a_4xx(client, raw):
    assert _post(client, raw).status_code in {400, 422}


def test_demo_keys_do_not_work_outside_demo_mode(tmp_path):
    app = centralisateur.create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": False,
                                     "DMS_KEYS": {"tec3h": DEMO_KEYS["tec3h"]}, "ICARE_SERVICE_KEY": "k" * 32,
                                     "URLS": {"icare": "http://127.0.0.1:9"}})
    response = app.test_client().post("/api/v1/handoffs", json=Factory(1).handoff(),
                                      headers={"Authorization": f"Bearer {DEMO_KEYS['tec3h']}"})
    assert response.status_code == 401


def test_configured_keys_work_outside_demo_mode(tmp_path):
    key = "tec3h-" + "x" * 40
    app = centralisateur.create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": False, "DMS_KEYS": {"tec3h": key},
                                     "ICARE_SERVICE_KEY": "k" * 32, "URLS": {"icare": "http://127.0.0.1:9"}})
    centralisateur.seed_demo(app)  # dealers only; seeding demo data is the caller's choice
    response = app.test_client().post("/api/v1/handoffs", json=Factory(1).handoff(),
                                      headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 201
