"""A small stack (centralisateur, Icare) for the journal tests, over real HTTP; one per session, so
the PostgreSQL pass seeds its shared database once."""
from __future__ import annotations

import pytest

from harness.runner import Stack


@pytest.fixture(scope="session")
def journal_stack(tmp_path_factory) -> Stack:
    stack = Stack(tmp_path_factory.mktemp("journal"), names=["centralisateur", "icare"],
                  extra_config={"centralisateur": {"DEMO_PROFILES_CONFIGURED": True, "TEST_ROUTES": True,
                                                   "WORKER_INTERVAL": 0.1},
                                "icare": {"TEST_ROUTES": True}})
    stack.start().wait_ready()
    yield stack
    stack.stop()
