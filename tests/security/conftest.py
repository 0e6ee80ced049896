"""A stack of its own for the fuzz and the crawl: hostile submissions may change demo data (a form
accepting HTML in a name, say), so they never touch the stack other suites share."""
from __future__ import annotations

import pytest

from conftest import start_test_stack
from harness.runner import Stack


@pytest.fixture(scope="module")
def hostile_stack(tmp_path_factory) -> Stack:
    running = start_test_stack(tmp_path_factory.mktemp("hostile"))
    yield running
    running.stop()
