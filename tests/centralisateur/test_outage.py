"""Icare down during a declaration (SPEC §4.2 item 7): kept as contract pending, created exactly once
when Icare is back, across a restart of the centralisateur too."""
from __future__ import annotations

import time

import httpx
import pytest

from harness.runner import Stack
from harness.testing import icare_contracts
from tests.centralisateur.support import api_client, open_form

pytestmark = pytest.mark.centralisateur


def _stack(data_dir, **kwargs) -> Stack:
    stack = Stack(data_dir, names=["centralisateur", "icare"],
                  extra_config={"centralisateur": {"DEMO_PROFILES_CONFIGURED": True, "ICARE_TIMEOUT": 2.0,
                                                   "WORKER_INTERVAL": 0.1}}, **kwargs)
    stack.start().wait_ready()
    return stack


def _wait_status(api, bdc: str, wanted: str, seconds: float = 20) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        state = api.get(f"/api/v1/declarations/{bdc}").json()
        if state["status"] == wanted or time.monotonic() > deadline:
            return state
        time.sleep(0.1)


def test_icare_down_keeps_the_declaration_pending_then_one_contract(tmp_path, factory):
    stack = _stack(tmp_path)
    try:
        with api_client(stack) as api:
            receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
            browser, url, values = open_form(stack, receipt["declaration_url"])
            stack.stop_serving("icare")
            page = browser.post(url, data=values)
            assert "Votre demande a été effectuée avec succès" in page.text
            assert "Le gestionnaire Icare ne répond pas pour le moment" in page.text
            assert "le contrat sera créé automatiquement dès son retour" in page.text
            assert "Imprimer le certificat de souscription" not in page.text
            state = api.get(f"/api/v1/declarations/{receipt['bdc_number']}").json()
            assert state["status"] == "contract_pending" and state["contract_number"] is None
            stack.serve_again("icare")
            state = _wait_status(api, receipt["bdc_number"], "declared")
            assert state["status"] == "declared"
            contracts = icare_contracts(stack, bdc_number=receipt["bdc_number"])
            assert [c["contract_number"] for c in contracts] == [state["contract_number"]]
            page = browser.get(url.replace("/formulaire", "/confirmation"))
            assert f"(numéro de contrat : {state['contract_number']})" in page.text
    finally:
        stack.stop()


def test_pending_contracts_survive_a_centralisateur_restart(tmp_path, factory):
    stack = _stack(tmp_path)
    receipts = []
    try:
        with api_client(stack) as api:
            port = stack.apps["icare"].server.port
            stack.stop_serving("icare")
            for _ in range(3):
                receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
                browser, url, values = open_form(stack, receipt["declaration_url"])
                browser.post(url, data=values)
                receipts.append(receipt)
    finally:
        stack.stop()
    icare_only = Stack(tmp_path, names=["icare"], default_ports=True, port_offset=port - 8001)
    icare_only.start().wait_ready()
    restarted = None
    try:
        restarted = Stack(tmp_path, names=["centralisateur"], external_urls={"icare": icare_only.url("icare")},
                          extra_config={"centralisateur": {"WORKER_INTERVAL": 0.1}})
        restarted.start().wait_ready()
        with api_client(restarted) as api:
            for receipt in receipts:
                state = _wait_status(api, receipt["bdc_number"], "declared")
                assert state["status"] == "declared", state
                contracts = icare_contracts(icare_only, bdc_number=receipt["bdc_number"])
                assert [c["contract_number"] for c in contracts] == [state["contract_number"]]
    finally:
        if restarted:
            restarted.stop()
        icare_only.stop()


@pytest.mark.parametrize("fault", [{"error_status": 503}, {"latency_ms": 3000}, {"drop_connection": True},
                                   {"error_status": 404}, {"error_status": 403}, {"error_status": 400}])
def test_icare_errors_slowness_or_cut_connections_end_in_one_contract(tmp_path, factory, fault):
    """Faults injected through Icare's admin endpoint (errors — 404/403 included, only a business
    refusal refuses —, latency past the 2 s timeout, cut connections): the declaration waits as
    contract pending, a resend of the hand-off is not refused, then it gets exactly one contract."""
    stack = _stack(tmp_path)
    try:
        icare_admin = stack.url("icare") + "/admin/faults"
        with api_client(stack) as api:
            handoff = factory.handoff()
            receipt = api.post("/api/v1/handoffs", json=handoff).json()
            browser, url, values = open_form(stack, receipt["declaration_url"])
            assert httpx.put(icare_admin, json=fault).status_code == 200
            page = browser.post(url, data=values)
            assert "Le gestionnaire Icare ne répond pas pour le moment" in page.text
            assert api.get(f"/api/v1/declarations/{receipt['bdc_number']}").json()["status"] == "contract_pending"
            assert api.post("/api/v1/handoffs", json=handoff).json()["status"] != "refused"
            assert httpx.delete(icare_admin).status_code in (200, 204)
            state = _wait_status(api, receipt["bdc_number"], "declared")
            assert state["status"] == "declared"
            contracts = icare_contracts(stack, bdc_number=receipt["bdc_number"])
            assert [c["contract_number"] for c in contracts] == [state["contract_number"]]
    finally:
        stack.stop()


def test_only_a_business_refusal_from_icare_refuses_the_declaration(tmp_path, factory):
    """A 422 naming its reason is Icare's business answer: the declaration is refused, not retried."""
    stack = _stack(tmp_path)
    try:
        with api_client(stack) as api:
            receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
            browser, url, values = open_form(stack, receipt["declaration_url"])
            assert httpx.put(stack.url("icare") + "/admin/faults",
                             json={"error_status": 422, "count": 1}).status_code == 200
            browser.post(url, data=values)
            state = api.get(f"/api/v1/declarations/{receipt['bdc_number']}").json()
            assert state["status"] == "refused" and _contracts(stack, receipt["bdc_number"]) == []
    finally:
        stack.stop()
