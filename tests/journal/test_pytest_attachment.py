"""A failing test that drove a stack gets its journal: an extra in the HTML report and a HAR file."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TRACE = "6cf92f3577b34da6a3ce929d0e0e4736"
FAILING_TEST = f'''
import httpx
import pytest

from harness.runner import Stack


@pytest.fixture
def stack(tmp_path):
    running = Stack(tmp_path, names=["centralisateur"])
    running.start().wait_ready()
    yield running
    running.stop()


def test_a_declaration_that_goes_wrong(stack):
    page = httpx.get(stack.url("centralisateur") + "/connexion",
                     headers={{"traceparent": "00-{TRACE}-00f067aa0ba902b7-01"}})
    assert "Déclaration confirmée" in page.text


def test_a_passing_test_gets_nothing(stack):
    assert httpx.get(stack.url("centralisateur") + "/support").status_code in (200, 302)
'''


def test_a_failing_stack_test_gets_the_journal_in_the_html_report_and_a_har(tmp_path):
    (tmp_path / "test_flow.py").write_text(FAILING_TEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "harness.pytest_journal", "-p", "no:cacheprovider",
         "-p", "no:xdist", "--html=report.html", "--self-contained-html", "test_flow.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(root)})
    assert run.returncode == 1, run.stdout + run.stderr
    assert "journal des échanges" in run.stdout and "/connexion" in run.stdout
    [har_file] = (tmp_path / "reports" / "journal").glob("*.har")
    assert "test_a_declaration_that_goes_wrong" in har_file.name
    har = json.loads(har_file.read_text(encoding="utf-8"))
    assert har["log"]["version"] == "1.2"
    steps = [(e["_traceId"], e["request"]["url"].rsplit("/", 1)[1]) for e in har["log"]["entries"]]
    assert (TRACE, "connexion") in steps and (TRACE, "support") not in steps
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Journal des \\u00e9changes" in report and "HAR du journal" in report and har_file.name in report
