"""The suites aimed at a stack running in another process, as a QA team aims them at its staging: the
README's commands — ``spoticar-harness up --test-routes`` started apart, then pytest with ``--stack``
(every app's URL from the ``stack.json`` that ``up`` writes) — run here, and the suites pass, then pass
again on the same stack."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from harness.state import read_state
from tests.up_process import read_until_ready, start_up, stop

ROOT = Path(__file__).resolve().parents[1]
# one API file and one browser flow crossing a DMS, the centralisateur and Icare (test routes, journals)
SUITES = ["tests/centralisateur/test_api.py", "e2e/journal/test_journal_flow.py"]
# played a second time: the API file (its dealers and hand-offs would meet the first run's) and a browser
# test that moves a supplier to its next access step (the demo COFOR it once took can be taken only once)
AGAIN = ["tests/centralisateur/test_api.py",
         "e2e/portail_b2b/test_access.py::test_access_request_moves_the_company_to_the_next_step"]


@pytest.fixture
def stack_elsewhere(tmp_path):
    """``spoticar-harness up --test-routes --any-port`` in its own process; its data directory."""
    data = tmp_path / "staging"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    up = start_up("--test-routes", "--any-port", "--reset", "--data-dir", str(data), env=env, cwd=ROOT)
    try:
        read_until_ready(up)
        assert read_state(data) is not None
        yield data, env
    finally:
        stop(up, signal.SIGTERM)


def _play(data: Path, env: dict, out: Path, suites: list[str]) -> str:
    """pytest ``suites`` aimed at the stack of ``data`` (``--stack``), as the README says; its summary."""
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
                          "-rs", "--stack", str(data), "--output", str(out / "playwright"),
                          "--junitxml", str(out / "junit.xml"), *suites],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    summary = run.stdout[-3000:]
    assert run.returncode == 0, summary
    assert " passed" in summary and "skipped" not in summary and "failed" not in summary, summary
    return summary


def test_suites_pass_against_a_stack_started_by_up_in_another_process(stack_elsewhere, tmp_path):
    data, env = stack_elsewhere
    urls = read_state(data)
    assert set(urls) == {"centralisateur", "icare", "pvo2", "tec3h", "bee2link", "neovo", "portail_b2b"}
    _play(data, env, tmp_path / "first", SUITES)
    # Played again on the same stack, which keeps what the first run made: the same tests pass again
    # (each run's data has a seed of its own; tests make what they change, demo records stay as seeded).
    _play(data, env, tmp_path / "again", AGAIN)
