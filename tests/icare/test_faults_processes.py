"""Icare's outage switches under gunicorn (``up --processes``, ``serve icare --workers 2``): a switch set
through one worker is every worker's, and a switch for N calls fails N calls in all. Kept in each
worker's memory, it failed only the calls the worker that took the PUT happened to serve: a suite or a
certification session setting an Icare outage on such a stack saw it one time in two."""
from __future__ import annotations

import signal
import subprocess
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from harness.serving import free_port, serve_command, wait_healthy

pytestmark = pytest.mark.icare


def test_a_fault_set_through_one_worker_is_applied_by_every_worker_and_counted_once(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(serve_command("icare", f"127.0.0.1:{port}", workers=2, data_dir=tmp_path, seed=0,
                                             demo=True, urls={}), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, 60, process)

        def call(path: str, method: str = "GET", **kwargs) -> httpx.Response:
            with httpx.Client(base_url=url, timeout=30) as fresh:  # a new connection: any worker
                return fresh.request(method, path, **kwargs)

        assert call("/admin/faults", "PUT", json={"error_status": 503, "count": 6}).status_code == 200
        with ThreadPoolExecutor(8) as pool:  # connections at once: both workers serve some
            statuses = sorted(r.status_code for r in pool.map(lambda _: call("/api/v1/contracts"), range(24)))
            shown = list(pool.map(lambda _: call("/admin/faults").json(), range(8)))
        assert statuses.count(503) == 6, statuses      # six calls failed, whichever worker served them
        assert set(statuses) == {503, 401}, statuses   # the rest reached the API (no key: its 401)
        assert all(s["hits"] == 6 and not s["active"] for s in shown), shown
        # a point of sale's switch, and clearing, alike for every worker
        assert call("/admin/faults", "PUT", json={"error_status": 502, "rrdi": "953617Z"}).status_code == 200
        with ThreadPoolExecutor(8) as pool:
            dealers = list(pool.map(lambda _: call("/admin/faults").json()["dealers"], range(8)))
            assert all(set(d) == {"953617Z"} for d in dealers), dealers
            assert call("/admin/faults", "DELETE").status_code == 200
            assert all(d == {} for d in pool.map(lambda _: call("/admin/faults").json()["dealers"], range(8)))
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        process.kill()
