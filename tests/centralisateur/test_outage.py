"""Icare down during a declaration (SPEC §4.2 item 7): kept as contract pending, created exactly once
when Icare is back, across a restart of the centralisateur too."""
from __future__ import annotations

import contextlib
import json
import threading
import time

import httpx
import pytest
from flask import Flask, request

from centralisateur.declaring import backoff
from common.serve import AppServer
from harness.runner import Stack
from harness.testing import allow_callback_origin, icare_contracts
from tests.centralisateur.support import api_client, open_form
from tests.up_process import two_free_ports_below_the_ephemeral_range

pytestmark = pytest.mark.centralisateur


FIRST_RETRY = 0.2   # seconds before an Icare or callback retry, doubling after (the product's: 1 s)


def _stack(data_dir, cds_config=None, **kwargs) -> Stack:
    """The centralisateur and Icare on two ports below the kernel's ephemeral range: Icare's is served
    again after an outage (``serve_again``, a restart), and a port the OS picked could meanwhile be
    taken by any client connection of the machine as its own end (the bind then failed)."""
    offset = two_free_ports_below_the_ephemeral_range() - 8000  # the centralisateur's 8000, Icare's 8001
    stack = Stack(data_dir, names=["centralisateur", "icare"], default_ports=True, port_offset=offset,
                  extra_config={"centralisateur": {"DEMO_PROFILES_CONFIGURED": True, "ICARE_TIMEOUT": 2.0,
                                                   "WORKER_INTERVAL": 0.1, "RETRY_FIRST_SECONDS": FIRST_RETRY,
                                                   **(cds_config or {})}}, **kwargs)
    stack.start().wait_ready()
    return stack


@contextlib.contextmanager
def _declaration_open(tmp_path, handoff: dict):
    """A centralisateur + Icare stack, ``handoff`` sent and its form 2/3 open:
    (stack, API client, receipt, (browser, form URL, the form's values))."""
    stack = _stack(tmp_path)
    try:
        with api_client(stack) as api:
            receipt = api.post("/api/v1/handoffs", json=handoff).json()
            yield stack, api, receipt, open_form(stack, receipt["declaration_url"])
    finally:
        stack.stop()


def _one_contract(stack, api, bdc: str) -> dict:
    """Wait until ``bdc`` is declared; it has exactly one Icare contract, the one its state names."""
    state = _wait_status(api, bdc, "declared")
    assert state["status"] == "declared", state
    assert [c["contract_number"] for c in icare_contracts(stack, bdc_number=bdc)] == [state["contract_number"]]
    return state


def _wait_status(api, bdc: str, wanted: str, seconds: float = 20) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        state = api.get(f"/api/v1/declarations/{bdc}").json()
        if state["status"] == wanted or time.monotonic() > deadline:
            return state
        time.sleep(0.1)


def test_icare_down_keeps_the_declaration_pending_then_one_contract(tmp_path, factory):
    with _declaration_open(tmp_path, factory.handoff()) as (stack, api, receipt, (browser, url, values)):
        stack.stop_serving("icare")
        page = browser.post(url, data=values)
        assert "Votre demande a été effectuée avec succès" in page.text
        assert "Le gestionnaire Icare ne répond pas pour le moment" in page.text
        assert "le contrat sera créé automatiquement dès son retour" in page.text
        assert "Imprimer le certificat de souscription" not in page.text
        state = api.get(f"/api/v1/declarations/{receipt['bdc_number']}").json()
        assert state["status"] == "contract_pending" and state["contract_number"] is None
        stack.serve_again("icare")
        state = _one_contract(stack, api, receipt["bdc_number"])
        page = browser.get(url.replace("/formulaire", "/confirmation"))
        assert f"(numéro de contrat : {state['contract_number']})" in page.text


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
                _one_contract(icare_only, api, receipt["bdc_number"])
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
    handoff = factory.handoff()
    with _declaration_open(tmp_path, handoff) as (stack, api, receipt, (browser, url, values)):
        icare_admin = stack.url("icare") + "/admin/faults"
        assert httpx.put(icare_admin, json=fault).status_code == 200
        page = browser.post(url, data=values)
        assert "Le gestionnaire Icare ne répond pas pour le moment" in page.text
        assert api.get(f"/api/v1/declarations/{receipt['bdc_number']}").json()["status"] == "contract_pending"
        assert api.post("/api/v1/handoffs", json=handoff).json()["status"] != "refused"
        assert httpx.delete(icare_admin).status_code in (200, 204)
        _one_contract(stack, api, receipt["bdc_number"])


def test_only_a_business_refusal_from_icare_refuses_the_declaration(tmp_path, factory):
    """A 422 naming its reason is Icare's business answer: the declaration is refused, not retried."""
    with _declaration_open(tmp_path, factory.handoff()) as (stack, api, receipt, (browser, url, values)):
        assert httpx.put(stack.url("icare") + "/admin/faults",
                         json={"error_status": 422, "count": 1}).status_code == 200
        browser.post(url, data=values)
        state = api.get(f"/api/v1/declarations/{receipt['bdc_number']}").json()
        assert state["status"] == "refused" and icare_contracts(stack, bdc_number=receipt["bdc_number"]) == []


def test_the_dms_hears_contract_pending_even_when_the_worker_comes_late(tmp_path, factory):
    """The worker held up elsewhere (a slow DMS, a busy machine) until the first Icare retry is due:
    the DMS is still told « contrat en attente » before « déclarée » — the retry waits for that
    callback to be taken instead of replacing it (a callback carries the current state)."""
    received, held, release = [], threading.Event(), threading.Event()
    receiver = Flask("dms-callback")

    @receiver.post("/slow")
    def slow():
        held.set()
        release.wait(4)     # within the centralisateur's 5 s callback timeout
        return "", 204

    @receiver.post("/callback")
    def callback():
        received.append(json.loads(request.get_data())["status"])
        return "", 204

    stack = _stack(tmp_path, {"TEST_ROUTES": True})   # to let the test's receiver be called back
    try:
        with AppServer.bind().mount(receiver) as dms, api_client(stack) as api:
            allow_callback_origin(stack, dms.url)
            busy = api.post("/api/v1/handoffs", json=factory.handoff(callback_url=dms.url + "/slow")).json()
            late = api.post("/api/v1/handoffs", json=factory.handoff(callback_url=dms.url + "/callback")).json()
            browser, url, values = open_form(stack, busy["declaration_url"])
            browser.post(url, data=values)
            assert held.wait(20), "the worker never called the slow DMS back"
            browser, url, values = open_form(stack, late["declaration_url"])
            assert httpx.put(stack.url("icare") + "/admin/faults",
                             json={"error_status": 503, "count": 1}).status_code == 200
            page = browser.post(url, data=values)
            assert "Le gestionnaire Icare ne répond pas pour le moment" in page.text
            # the worker is still held when the first retry falls due (a point in time, not a race)
            due = time.monotonic() + backoff(1, FIRST_RETRY).total_seconds() + 0.2
            while time.monotonic() < due:
                time.sleep(due - time.monotonic())
            release.set()
            assert _wait_status(api, late["bdc_number"], "declared")["status"] == "declared"
            deadline = time.monotonic() + 20
            while len(received) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        release.set()
        stack.stop()
    assert received == ["contract_pending", "declared"]
