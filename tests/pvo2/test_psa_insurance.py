"""Déclaration PSA Insurance: the PSA Assurance policy API on Icare, and PVO2 declaring through it."""
from __future__ import annotations

import httpx
import pytest

from common.keys import DEMO_ICARE_SERVICE_KEY
from tests.pvo2.conftest import make_pvo2, order, text

pytestmark = pytest.mark.pvo2

KEY = {"Authorization": f"Bearer {DEMO_ICARE_SERVICE_KEY}"}


def _policy(factory, **overrides) -> dict:
    vehicle = factory.vehicle(brand="PEUGEOT")
    body = {"dms": "pvo2", "dms_order_ref": factory.order_ref(), "rrdi": "FR10350",
            "customer": {"civility": "M", "last_name": factory.customer()["last_name"]},
            "vehicle": {k: vehicle[k] for k in ("plate", "vin", "brand", "model", "mileage_km", "usage")},
            "label": "SPOTICAR", "product": "SPOTICAR PREMIUM", "duration_months": 12,
            "start_date": "2025-11-30"}
    body.update(overrides)
    return body


def test_policy_api_requires_the_service_key(icare_url, factory):
    response = httpx.post(f"{icare_url}/api/v1/psa-insurance/policies", json=_policy(factory))
    assert response.status_code == 401 and "Clé de service" in response.json()["errors"][0]["message"]


def test_policy_api_creates_once_per_order(icare_url, factory):
    body = _policy(factory)
    first = httpx.post(f"{icare_url}/api/v1/psa-insurance/policies", json=body, headers=KEY)
    again = httpx.post(f"{icare_url}/api/v1/psa-insurance/policies", json=body, headers=KEY)
    assert (first.status_code, again.status_code) == (201, 200)
    policy = first.json()
    assert policy["policy_number"] == again.json()["policy_number"]
    assert policy["policy_number"].startswith("PA") and len(policy["policy_number"]) == 12
    assert policy["end_date"] == "2026-11-30" and policy["code_t"] == "T10350"
    found = httpx.get(f"{icare_url}/api/v1/psa-insurance/policies/{policy['policy_number']}", headers=KEY)
    assert found.json()["vehicle"]["plate"] == body["vehicle"]["plate"]


@pytest.mark.parametrize("overrides, field, words", [
    ({"rrdi": "999999Z"}, "rrdi", "convention"),
    ({"duration_months": 7}, "product", "non proposé"),
])
def test_policy_api_refuses_with_a_french_reason(icare_url, factory, overrides, field, words):
    response = httpx.post(f"{icare_url}/api/v1/psa-insurance/policies", json=_policy(factory, **overrides),
                          headers=KEY)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == field and words in error["message"]


def test_policy_api_refuses_an_excluded_usage_and_a_bad_plate(icare_url, factory):
    body = _policy(factory)
    body["vehicle"]["usage"] = "taxi"
    taxi = httpx.post(f"{icare_url}/api/v1/psa-insurance/policies", json=body, headers=KEY)
    assert taxi.status_code == 422 and "taxi" in taxi.json()["errors"][0]["message"]
    body["vehicle"].update(usage="particulier", plate="CC333C1")
    plate = httpx.post(f"{icare_url}/api/v1/psa-insurance/policies", json=body, headers=KEY)
    assert plate.status_code == 422 and plate.json()["errors"][0]["field"] == "vehicle.plate"


def test_pvo2_declares_psa_insurance_and_shows_the_policy(tmp_path, icare_url):
    app = make_pvo2(tmp_path, {"centralisateur": "http://127.0.0.1:9", "icare": icare_url})
    client = app.test_client()
    try:
        response = client.post("/livraisons/7414120/declarer", data={"garantisseur": "psa_insurance"})
        assert response.status_code == 302
        policy = order(app, 7414120).policy_number
        assert policy.startswith("PA")
        page = text(client.get("/livraisons/7414120"))
        assert f"PSA Insurance — numéro de police : {policy}" in page
        refused = client.post("/livraisons/7400061/declarer", data={"garantisseur": "psa_insurance"})
        assert refused.status_code == 422 and "Déclaration refusée par PSA Assurance" in text(refused)
        assert order(app, 7400061).policy_number == ""
    finally:
        app.extensions["harness_stop"]()


def test_outside_demo_mode_pvo2_needs_its_centralisateur_key(tmp_path):
    from simulators.pvo2 import create_app
    with pytest.raises(ValueError, match="CENTRALISATEUR_API_KEY"):
        create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": False, "URLS": {}})


def test_psa_insurance_without_key_says_it_is_not_configured(tmp_path, icare_url):
    from simulators.pvo2 import create_app, seed_demo
    app = create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": False, "CENTRALISATEUR_API_KEY": "k" * 32,
                      "URLS": {"icare": icare_url}, "WTF_CSRF_ENABLED": False})
    seed_demo(app, 0)
    try:
        response = app.test_client().post("/livraisons/7414120/declarer", data={"garantisseur": "psa_insurance"})
        assert response.status_code == 503 and "PSA Assurance n&#39;est pas configuré" in text(response)
        assert order(app, 7414120).policy_number == ""
    finally:
        app.extensions["harness_stop"]()
