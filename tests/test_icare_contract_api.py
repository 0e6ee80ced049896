"""Icare's contract API as the centralisateur uses it: service key, idempotency, look-ups."""
from __future__ import annotations

import re

import httpx
import pytest
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.icare



def _contract_body(factory, bdc: str) -> dict:
    vehicle = factory.vehicle()
    customer = factory.customer()
    return {"bdc_number": bdc, "code_t": "T18654", "rrdi": "953617Z", "plate": vehicle["plate"],
            "vin": vehicle["vin"], "sale_date": "2025-11-30", "label": "SPOTICAR", "product": "SPOTICAR PREMIUM",
            "duration_months": 12, "start_date": "2025-11-30",
            "customer": {"civility": "M", "last_name": customer["last_name"], "first_name": customer["first_name"]},
            "vehicle": {"plate": vehicle["plate"], "vin": vehicle["vin"], "brand": vehicle["brand"],
                        "model": vehicle["model"], "version": vehicle["version"], "mileage_km": 12000}}


@pytest.fixture
def icare(stack):
    with httpx.Client(verify=tls_context(), base_url=stack.url("icare"), headers=stack.credentials.icare_headers(), timeout=20) as client:
        yield client


def test_contract_is_created_once_per_sale_with_an_11_digit_number(icare, factory):
    bdc = f"SP953617Z{factory.rng.randint(900_000_000, 999_999_999)}"
    body = _contract_body(factory, bdc)
    first, again = icare.post("/api/v1/contracts", json=body), icare.post("/api/v1/contracts", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    number = first.json()["contract_number"]
    assert re.fullmatch(r"2[0-9]{10}", number) and again.json()["contract_number"] == number
    assert first.json()["end_date"] == "2026-11-30"
    assert icare.get(f"/api/v1/contracts/{number}").json()["bdc_number"] == bdc
    by_plate = icare.get("/api/v1/contracts", params={"plate": body["plate"].lower()}).json()["contracts"]
    assert [c["contract_number"] for c in by_plate] == [number]


def test_unknown_contract_and_empty_search_are_clear(icare):
    assert icare.get("/api/v1/contracts/00000000000").status_code == 404
    response = icare.get("/api/v1/contracts")
    assert response.status_code == 400 and "immatriculation" in response.json()["errors"][0]["message"]


def test_service_key_is_required(stack, factory):
    response = httpx.post(stack.url("icare") + "/api/v1/npo", json={})
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "Clé de service Icare absente ou invalide."


def test_code_t_must_belong_to_the_dealer(icare, factory):
    body = _contract_body(factory, "SP953617Z999999999")
    body["code_t"] = "T10350"
    response = icare.post("/api/v1/contracts", json=body)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "code_t"


def test_product_must_exist_for_the_label(icare, factory):
    body = _contract_body(factory, "SP953617Z999999998")
    body["duration_months"] = 36
    assert icare.post("/api/v1/contracts", json=body).status_code == 422
