"""harness/pytest_heap.py: freezing what a session-scoped fixture built never keeps garbage alive.
Run as its own pytest process (the plugin alone, no repository conftest), the way a suite runs it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SUITE = '''
import gc
import weakref

import pytest


class Node:
    pass


refs, holder = [], []


@pytest.fixture(scope="session")
def long_lived():
    return object()


def test_leaves_garbage_in_the_oldest_generation():
    node = Node()
    node.itself = node  # a cycle: only the cyclic collector frees it
    refs.append(weakref.ref(node))
    holder.append(node)
    del node
    gc.collect()  # still reachable: moved to the oldest generation
    holder.clear()  # now garbage, left for the next full collection


def test_sets_up_a_session_fixture_later(long_lived):
    assert long_lived is not None


def test_the_earlier_garbage_is_collected():
    gc.collect()
    assert refs[0]() is None
'''


def test_garbage_alive_when_a_session_fixture_is_set_up_is_not_frozen(tmp_path):
    (tmp_path / "test_heap_suite.py").write_text(SUITE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                          "-p", "harness.pytest_heap", str(tmp_path / "test_heap_suite.py")],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "3 passed" in run.stdout
