"""``--dist loadgroup`` (``make test``): the tests of one ``xdist_group`` run on one worker, so a module
fixture they share (a stack of their own) starts once, not once per worker."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.test_sharding import UNUSED

ROOT = Path(__file__).resolve().parents[1]

GROUPED = '''
import os
import pytest


@pytest.mark.xdist_group("shared")
@pytest.mark.parametrize("i", range(6))
def test_grouped(i):
    with open(os.path.join(os.environ["GROUP_OUT"], f"grouped-{i}"), "w") as out:
        out.write(os.environ["PYTEST_XDIST_WORKER"])


@pytest.mark.parametrize("i", range(6))
def test_alone(i):
    pass
'''


def test_a_group_runs_on_one_worker(tmp_path):
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_grouped.py").write_text(GROUPED)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-p", "harness.pytest_xdist_groups",
         "-p", "no:cacheprovider", *UNUSED, "--noconftest", "-q", "--rootdir", str(suite),
         str(suite)],
        cwd=ROOT, env={**os.environ, "GROUP_OUT": str(tmp_path)}, capture_output=True, text=True, timeout=300,
        check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "12 passed" in result.stdout
    workers = {(tmp_path / f"grouped-{i}").read_text() for i in range(6)}
    assert len(workers) == 1, f"le groupe a tourné sur plusieurs workers : {sorted(workers)}"
