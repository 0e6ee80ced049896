"""``certify run --simulator``: our own DMS simulators certified through their ``DmsDriver``."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from xml.etree import ElementTree as ET

import pytest

from harness.cli import main

# one worker runs the four certifications at once (the ``certified`` fixture)
pytestmark = [pytest.mark.centralisateur, pytest.mark.xdist_group("certification_simulators")]

DMS = ("bee2link", "neovo", "pvo2", "tec3h")


@pytest.fixture(scope="module")
def certified(tmp_path_factory):
    """``certify run --simulator`` of each simulator, the four at the same time (each starts its own
    centralisateur, Icare and simulator): their plans' timers run side by side. ``{dms: future of
    (exit code, report directory)}``."""
    def certify(dms):
        out = tmp_path_factory.mktemp("certify") / dms
        return main(["certify", "run", "--dms", dms, "--simulator", "--report", str(out), "--wait", "20"]), out

    with ThreadPoolExecutor(len(DMS)) as pool:
        yield {dms: pool.submit(certify, dms) for dms in DMS}


@pytest.mark.parametrize("dms", DMS)
def test_our_simulator_passes_every_scenario(dms, certified, capsys):
    code, out = certified[dms].result(timeout=900)
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
