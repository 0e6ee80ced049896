"""``certify run --simulator``: our own DMS simulators certified through their ``DmsDriver``, the four
at once on one centralisateur (one run, as ``certify run --dms A B C D`` does it); each test reads the
report of its simulator."""
from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from certification import run
from harness.cli import main

# the four sessions are played by one run: its tests on one xdist worker
pytestmark = [pytest.mark.centralisateur, pytest.mark.xdist_group("certification_simulators")]

DMS = ("bee2link", "neovo", "pvo2", "tec3h")


@pytest.fixture(scope="module")
def certified(tmp_path_factory):
    """(exit code, reports directory) of one ``certify run`` of every simulator."""
    out = tmp_path_factory.mktemp("certify-run")
    with pytest.MonkeyPatch.context() as patch:
        # the run's centralisateur with the certification suites' timers (tests/certification/conftest.py):
        # 0.5 s without a resend after a refusal (four refusal scenarios per session wait it out, 2 s by
        # default) and Icare retried after 0.2 s in the outage scenario (1 s by default)
        patch.setattr(run, "CDS_CONFIG", {**run.CDS_CONFIG, "CERTIFICATION_SETTLE_SECONDS": 0.5,
                                          "CERTIFICATION_OBSERVE_SECONDS": 1.0, "RETRY_FIRST_SECONDS": 0.2})
        code = main(["certify", "run", "--dms", *DMS, "--simulator", "--report", str(out), "--wait", "20"])
    return code, out


@pytest.mark.parametrize("dms", DMS)
def test_our_simulator_passes_every_scenario(dms, certified):
    code, out = certified
    report = json.loads((out / dms / "report.json").read_text())
    statuses = {s["id"]: s["status"] for s in report["scenarios"]}
    assert set(statuses.values()) == {"passed"}, statuses
    assert code == 0 and report["verdict"] == "passed"
    cases = list(ET.parse(out / dms / "junit.xml").getroot().iter("testcase"))
    assert len(cases) == len(statuses) and not any(c.find("failure") is not None or c.find("skipped") is not None
                                                   for c in cases)
    handoff = next(s for s in report["scenarios"] if s["id"] == "handoff-complete")
    sent = next(e for e in handoff["evidence"] if e["path"] == "/api/v1/handoffs")
    assert sent["status"] == 201   # the evidence is the exchange the centralisateur journalled
    assert report["session"]["dms"] == dms
