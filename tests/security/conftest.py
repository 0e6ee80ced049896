"""A stack of its own for the fuzz and the crawl: hostile submissions may change demo data (a form
accepting HTML in a name, say), so they never touch the stack other suites share. One for the whole
run (per xdist worker), shared by the crawl of every app and the fuzz: each sends only hostile values
and reads nothing the other writes, so a second stack would only cost its start-up."""
from __future__ import annotations

import httpx
import pytest

from conftest import start_test_stack
from harness.runner import Stack
from spoticar_handoff.tls import tls_context


@pytest.fixture(scope="session")
def hostile_stack(tmp_path_factory) -> Stack:
    running = start_test_stack(tmp_path_factory.mktemp("hostile"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def hostile_http() -> httpx.Client:
    """One HTTP client for a module's hostile requests: the same requests and answers as a client per
    request, without building a TLS context (~25 ms of CPU) for each of thousands of plain-HTTP calls."""
    with httpx.Client(verify=tls_context(), timeout=30) as client:
        yield client
