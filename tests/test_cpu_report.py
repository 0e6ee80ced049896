"""``pytest --cpu-report PATH`` (harness/pytest_cpu.py): each test's CPU, its threads' and its child
processes' included, per test and per file, also under xdist."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_sharding import UNUSED

ROOT = Path(__file__).resolve().parents[1]

# each busy test uses 0.4 s of CPU (process time, not a wall-clock wait) one way
SUITE = '''
import subprocess
import sys
import threading

BURN = "import time\\nend = time.process_time() + 0.4\\nwhile time.process_time() < end: pass"


def test_in_a_child_process():
    subprocess.run([sys.executable, "-c", BURN], check=True)


def test_in_a_grandchild():
    subprocess.run([sys.executable, "-c", f"import subprocess, sys; subprocess.run([sys.executable, '-c', {BURN!r}])"],
                   check=True)


def test_in_a_thread():
    worker = threading.Thread(target=exec, args=(BURN,))
    worker.start()
    worker.join()


def test_idle():
    pass
'''


def _report(tmp_path, *options: str) -> str:
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_busy.py").write_text(SUITE)
    report = tmp_path / "cpu.txt"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "harness.pytest_cpu", "-p", "no:cacheprovider", *UNUSED,
         "--noconftest", "-q", "--rootdir", str(suite), f"--cpu-report={report}", *options, str(suite)],
        cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return report.read_text()


def test_each_test_and_file_gets_its_cpu_under_xdist(tmp_path):
    """Measured on the worker, written by the controller (one worker: the same transport as many)."""
    text = _report(tmp_path, "-n", "1")
    cpu = {name: float(seconds) for seconds, name in re.findall(r"^\s*([0-9.]+)\s+test_busy\.py::(\w+)$", text, re.MULTILINE)}
    assert set(cpu) == {"test_in_a_child_process", "test_in_a_grandchild",
                        "test_in_a_thread", "test_idle"}, text
    for busy in ("test_in_a_child_process", "test_in_a_grandchild", "test_in_a_thread"):
        assert cpu[busy] >= 0.35, text
    assert cpu["test_idle"] < 0.2, text
    total = float(re.search(r"^\s*([0-9.]+)\s+4\s+test_busy\.py$", text, re.MULTILINE).group(1))
    assert total == pytest.approx(sum(cpu.values()), abs=0.02)
    assert text.startswith("# CPU total des tests")
