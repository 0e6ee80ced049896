"""The journal at a process's exit: what was queued is written before the process ends (its writer
thread is stopped, never left running into the interpreter's finalization)."""
from __future__ import annotations

import re

import httpx

from centralisateur.openapi_rules import HANDOFF_EXAMPLE
from tests.up_process import read_until_ready, start_up, stop


def _up(data_dir):
    process = start_up("--only", "centralisateur", "--any-port", "--data-dir", str(data_dir))
    return process, re.search(r"Centralisateur.*?(http://\S+)", read_until_ready(process)).group(1)


def test_an_exchange_just_before_the_stop_is_in_the_journal_after_it(tmp_path):
    process, url = _up(tmp_path)
    try:
        answer = httpx.post(f"{url}/api/v1/handoffs", timeout=30, headers={"Authorization": "Bearer demo-tec3h"},
                            json={**HANDOFF_EXAMPLE, "callback_url": None})
        assert answer.status_code == 201, answer.text
    finally:
        output = stop(process)  # at once: the writer gathers a batch for up to a second
    assert process.returncode == 0, output
    bdc = answer.json()["bdc_number"]

    process, url = _up(tmp_path)
    try:
        entries = httpx.get(f"{url}/__admin/journal", params={"bdc": bdc}, timeout=30).json()["entries"]
    finally:
        stop(process)
    assert [(e["direction"], e["method"], e["path"], e["status"]) for e in entries] == [
        ("in", "POST", "/api/v1/handoffs", 201)]
