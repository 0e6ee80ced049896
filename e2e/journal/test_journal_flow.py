"""One sale from a DMS (Bee2link) through the browser to a contract: the DMS's, the centralisateur's
and Icare's journals hold the hand-off, the pages, the NPO and contract calls and the callback, all in
one trace; ``spoticar-harness journal --bdc --har`` exports them as HAR 1.2, in order."""
from __future__ import annotations

import json
import time

import httpx
import pytest
from playwright.sync_api import Page

from e2e.dms_support import declare_new_bee2link_order, expect_both_confirmations
from harness import cli
from harness.state import write_state
from harness.testing import record
from tests.journal.har_schema import validate_har

pytestmark = pytest.mark.bee2link
APPS = ("bee2link", "centralisateur", "icare")


def journal(stack, app: str, bdc: str) -> list[dict]:
    response = httpx.get(stack.url(app) + "/__admin/journal", params={"bdc": bdc}, timeout=20)
    assert response.status_code == 200, response.text
    return response.json()["entries"]


def wait_for_callback(stack, bdc: str, seconds: float = 30.0) -> list[dict]:
    """The centralisateur's journal once its background worker has delivered the callback. Its ``out``
    entry is recorded once the DMS's answer is in; by then the DMS and Icare have served their side,
    and a read of a journal waits for the exchanges its app is serving and writes what it holds, in
    every worker: one read of each of them then finds them."""
    deadline = time.monotonic() + seconds
    while True:
        entries = journal(stack, "centralisateur", bdc)
        if any(e["direction"] == "out" and e["path"] == "/api/spoticar/callback" for e in entries) \
                or time.monotonic() > deadline:
            return entries
        time.sleep(0.2)


def test_one_sale_is_one_trace_across_the_dms_the_centralisateur_and_icare(page: Page, stack, tmp_path, factory):
    order, cds, _card = declare_new_bee2link_order(page, stack, factory)
    contract_number = expect_both_confirmations(cds, "020319L")
    bdc = record(stack, "bee2link", f"/orders/{order['number']}")["bdc_number"]

    cds_entries = wait_for_callback(stack, bdc)
    dms, icare = journal(stack, "bee2link", bdc), journal(stack, "icare", bdc)
    seen = {(e["app"], e["direction"], e["method"], e["path"], e["status"]) for e in dms + cds_entries + icare}
    assert {("bee2link", "out", "POST", "/api/v1/handoffs", 201),
            ("centralisateur", "in", "POST", "/api/v1/handoffs", 201),
            ("centralisateur", "in", "GET", "/declaration/[REDACTED]", 302),
            ("centralisateur", "in", "POST", f"/declarations/{bdc}/formulaire", 303),
            ("centralisateur", "out", "POST", "/api/v1/npo", 201),
            ("icare", "in", "POST", "/api/v1/npo", 201),
            ("centralisateur", "out", "POST", "/api/v1/contracts", 201),
            ("icare", "in", "POST", "/api/v1/contracts", 201),
            ("centralisateur", "out", "POST", "/api/spoticar/callback", 200),
            ("bee2link", "in", "POST", "/api/spoticar/callback", 200)} <= seen, sorted(seen)
    assert len({e["trace_id"] for e in dms + cds_entries + icare}) == 1
    assert any(contract_number in e["response"]["body"] for e in icare)

    write_state(stack.data_dir, {name: stack.url(name) for name in APPS})
    har_path = tmp_path / f"{bdc}.har"
    assert cli.main(["journal", "--data-dir", str(stack.data_dir), "--bdc", bdc, "--har", str(har_path)]) == 0
    har = json.loads(har_path.read_text(encoding="utf-8"))
    validate_har(har)
    steps = [(e["_app"], e["_direction"], e["request"]["url"].split("/", 3)[3]) for e in har["log"]["entries"]]
    wanted = [("bee2link", "out", "api/v1/handoffs"), ("centralisateur", "in", "api/v1/handoffs"),
              ("centralisateur", "out", "api/v1/npo"), ("icare", "in", "api/v1/npo"),
              ("centralisateur", "out", "api/v1/contracts"), ("icare", "in", "api/v1/contracts"),
              ("centralisateur", "out", "api/spoticar/callback"), ("bee2link", "in", "api/spoticar/callback")]
    positions = [steps.index(step) for step in wanted]
    assert positions == sorted(positions), steps
    times = [e["startedDateTime"] for e in har["log"]["entries"]]
    assert times == sorted(times)
