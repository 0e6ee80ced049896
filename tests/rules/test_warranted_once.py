"""Rule 1: a vehicle is warranted once — a second active contract on the same VIN and period is refused."""
from __future__ import annotations

import datetime as dt
import html
import json

import httpx
import pytest
from flask import Flask, request

from common.serve import AppServer
from harness.testing import allow_callback_origin, run_due_jobs
from tests.centralisateur.support import api_client, open_form
from spoticar_handoff.tls import tls_context

pytestmark = [pytest.mark.icare, pytest.mark.centralisateur]

def _contract_body(factory, vehicle: dict, start: dt.date) -> dict:
    bdc = f"SP953617Z{factory.rng.randint(100_000_000, 999_999_999)}"
    customer = factory.customer()
    return {"bdc_number": bdc, "code_t": "T18654", "rrdi": "953617Z", "plate": vehicle["plate"],
            "vin": vehicle["vin"], "sale_date": start.isoformat(), "label": "SPOTICAR",
            "product": "SPOTICAR PREMIUM", "duration_months": 12, "start_date": start.isoformat(),
            "customer": {"civility": "M", "last_name": customer["last_name"]},
            "vehicle": {"plate": vehicle["plate"], "vin": vehicle["vin"], "brand": vehicle["brand"],
                        "mileage_km": vehicle["mileage_km"]}}


def test_icare_refuses_a_second_contract_on_the_same_vin_and_period(stack, factory):
    vehicle, start = factory.vehicle(), dt.date.today()
    with httpx.Client(verify=tls_context(), base_url=stack.url("icare"), headers=stack.credentials.icare_headers(), timeout=20) as icare:
        first = icare.post("/api/v1/contracts", json=_contract_body(factory, vehicle, start))
        assert first.status_code == 201
        number = first.json()["contract_number"]
        overlapping = icare.post("/api/v1/contracts",
                                 json=_contract_body(factory, vehicle, start + dt.timedelta(days=90)))
        assert overlapping.status_code == 422
        [error] = overlapping.json()["errors"]
        assert error["field"] == "vehicle.vin"
        assert f"déjà garanti par le contrat n° {number}" in error["message"]
        # once the first period is over, the same vehicle can be warranted again
        later = icare.post("/api/v1/contracts", json=_contract_body(factory, vehicle, start.replace(
            year=start.year + 1) if not (start.month == 2 and start.day == 29) else start + dt.timedelta(days=366)))
        assert later.status_code == 201
        found = icare.get("/api/v1/contracts", params={"plate": vehicle["plate"]}).json()["contracts"]
        assert [c["contract_number"] for c in found] == [number, later.json()["contract_number"]]


def _declare(stack, receipt: dict) -> httpx.Response:
    browser, url, values = open_form(stack, receipt["declaration_url"])
    return browser.post(url, data=values)


def test_second_declaration_of_a_vehicle_is_refused_on_3_3_and_to_the_dms(stack, factory):
    received: list[dict] = []
    receiver = Flask("dms-callback")

    @receiver.post("/callback")
    def callback():
        received.append(json.loads(request.get_data()))
        return "", 204

    vehicle = factory.vehicle()
    with AppServer.bind().mount(receiver) as dms, api_client(stack) as api:
        allow_callback_origin(stack, dms.url)
        first = api.post("/api/v1/handoffs", json=factory.handoff(vehicle=vehicle)).json()
        assert "numéro de contrat" in _declare(stack, first).text
        contract = api.get(f"/api/v1/declarations/{first['bdc_number']}").json()["contract_number"]
        second = api.post("/api/v1/handoffs", json=factory.handoff(
            vehicle=vehicle, callback_url=dms.url + "/callback")).json()
        page = _declare(stack, second)
        run_due_jobs(stack, until=lambda: received)  # now, not at the worker's next turn
    shown = html.unescape(page.text)
    assert "a été refusée" in shown and f"déjà garanti par le contrat n° {contract}" in shown
    state = api_client(stack).get(f"/api/v1/declarations/{second['bdc_number']}").json()
    assert state["status"] == "refused" and contract in state["message"]
    assert received and received[-1]["status"] == "refused" and contract in received[-1]["message"]
