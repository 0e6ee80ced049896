"""A stack of its own for the fuzz and the crawl: hostile submissions may change demo data (a form
accepting HTML in a name, say), so they never touch the stack other suites share."""
from __future__ import annotations

import pytest

from harness.apps import available_apps
from harness.runner import Stack


@pytest.fixture(scope="module")
def hostile_stack(tmp_path_factory) -> Stack:
    running = Stack(tmp_path_factory.mktemp("hostile"), names=[spec.name for spec in available_apps()],
                    extra_config={"centralisateur": {"TEST_ROUTES": True, "DEMO_PROFILES_CONFIGURED": True},
                                  "icare": {"TEST_ROUTES": True}})
    running.start()
    running.wait_ready()
    yield running
    running.stop()
