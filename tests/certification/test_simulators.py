"""``certify run --simulator``: our own DMS simulators certified through their ``DmsDriver``."""
from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from harness.cli import main

pytestmark = pytest.mark.centralisateur

DMS = ("bee2link", "neovo", "pvo2", "tec3h")


@pytest.mark.parametrize("dms", DMS)
def test_our_simulator_passes_every_scenario(dms, tmp_path, capsys):
    out = tmp_path / dms
    code = main(["certify", "run", "--dms", dms, "--simulator", "--report", str(out), "--wait", "20"])
    report = json.loads((out / "report.json").read_text())
    statuses = {s["id"]: s["status"] for s in report["scenarios"]}
    assert set(statuses.values()) == {"passed"}, (statuses, capsys.readouterr())
    assert code == 0 and report["verdict"] == "passed"
    cases = list(ET.parse(out / "junit.xml").getroot().iter("testcase"))
    assert len(cases) == len(statuses) and not any(c.find("failure") is not None or c.find("skipped") is not None
                                                   for c in cases)
    handoff = next(s for s in report["scenarios"] if s["id"] == "handoff-complete")
    sent = next(e for e in handoff["evidence"] if e["path"] == "/api/v1/handoffs")
    assert sent["status"] == 201   # the evidence is the exchange the centralisateur journalled
