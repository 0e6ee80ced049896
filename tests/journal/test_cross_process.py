"""The declaration link joins the hand-off's trace on whichever centralisateur process opens it: the
trace travels in the signed link, not in one process's memory (``up --processes``, several workers)."""
from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from harness.runner import Stack
from harness.serving import serve_command, stop_processes, wait_healthy
from tests.test_serving import free_port
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur


@pytest.fixture
def two_processes(tmp_path):
    """Icare here, and two ``serve centralisateur`` processes sharing one database (the data dir's
    SQLite file, or DATABASE_URL) and one secret key. Served as the suites' stacks are (``--test-routes``:
    the demo profiles configured): on a server database shared with the other journal tests, the first
    stack to start seeds the demo dealers for all — profiles left to configure failed their forms."""
    icare = Stack(tmp_path / "icare", names=["icare"]).start()
    bases = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    env = {**os.environ, "SPOTICAR_SECRET_KEY": "shared-test-secret-" + tmp_path.name,
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    processes = []
    try:
        for base in bases:  # one after the other: the first prepares the database, the second finds it
            processes.append(subprocess.Popen(serve_command(
                "centralisateur", base.removeprefix("http://"), workers=1, data_dir=tmp_path / "cds",
                seed=0, demo=True, urls={"icare": icare.url("icare")}, test_routes=True), env=env))
            wait_healthy(base, 90, processes[-1])
        yield bases
    finally:
        stop_processes(processes)
        icare.stop()


def _journal(base: str, **filters) -> list[dict]:
    response = httpx.get(base + "/__admin/journal", params=filters, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["entries"]


def test_declaration_link_opened_on_another_process_joins_the_dms_trace(two_processes, factory):
    first, second = two_processes
    # a trace of this test's own: on a server database the journal's table is the other journal tests' too
    outside_trace = secrets.token_hex(16)
    receipt = httpx.post(first + "/api/v1/handoffs", json=factory.handoff(), timeout=30,
                         headers={"Authorization": "Bearer demo-tec3h",
                                  "traceparent": f"00-{outside_trace}-00f067aa0ba902b7-01"})
    assert receipt.status_code == 201, receipt.text
    link = urlsplit(receipt.json()["declaration_url"])
    assert link.netloc == urlsplit(first).netloc
    # the DMS's redirect: a browser with no traceparent, served by the other process
    with httpx.Client(verify=tls_context(), timeout=30) as browser:
        answer = browser.get(f"{second}{link.path}")
    assert answer.status_code == 302, answer.text
    bdc = receipt.json()["bdc_number"]
    assert answer.headers["location"].endswith(f"/declarations/{bdc}/garantie")  # the profile is configured
    # each process writes its own entries (its reader waits for them), into the one database
    handed = [(e["path"], e["status"]) for e in _journal(first, trace=outside_trace)]
    assert ("/api/v1/handoffs", 201) in handed
    hops = [(e["direction"], e["method"], e["path"], e["status"])
            for e in _journal(second, trace=outside_trace)]
    assert ("in", "GET", "/declaration/[REDACTED]", 302) in hops, hops
    [opened] = [e for e in _journal(second, bdc=bdc) if e["path"] == "/declaration/[REDACTED]"]
    assert opened["trace_id"] == outside_trace and opened["bdc"] == bdc


def test_declaration_page_on_another_process_joins_the_trace_before_any_journal_flush(two_processes, factory):
    """The browser's pages (page 1/3's POST, after the link was opened elsewhere) carry no trace of
    their own: the other process finds the hand-off's trace in the hand-off's own row at once — not
    when the first process's journal writer flushes, up to a second later."""
    first, second = two_processes
    receipt = httpx.post(first + "/api/v1/handoffs", json=factory.handoff(), timeout=30,
                         headers={"Authorization": "Bearer demo-tec3h"})  # the centralisateur starts the trace
    assert receipt.status_code == 201, receipt.text
    bdc = receipt.json()["bdc_number"]
    # nothing reads the first process's journal before this: its entries may still be unwritten
    with httpx.Client(verify=tls_context(), timeout=30) as browser:
        page = browser.post(f"{second}/declarations/{bdc}/garantie", data={"garantisseur": "stellantis"})
    assert page.status_code in (302, 400, 403), page.text  # no session: refused, journalled all the same
    [handed] = [e for e in _journal(first, bdc=bdc) if e["path"] == "/api/v1/handoffs"]
    [posted] = [e for e in _journal(second, bdc=bdc) if e["path"] == f"/declarations/{bdc}/garantie"]
    assert posted["trace_id"] == handed["trace_id"], (handed["trace_id"], posted["trace_id"])
