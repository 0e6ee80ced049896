"""Browser suites: one stack of every available app per test session (per xdist worker), real HTTP
between apps on OS-picked ports, a temporary data directory, and Debian's Chromium where present."""
from __future__ import annotations

import pytest

from conftest import external_urls
from harness.browser import LAUNCH_ARGS, find_browser
from harness.runner import Stack


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, pytestconfig):
    executable = find_browser(pytestconfig.option.spoticar_browser)
    args = {**browser_type_launch_args, "args": [*browser_type_launch_args.get("args", []), *LAUNCH_ARGS]}
    if executable:
        args["executable_path"] = executable
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris",
            "accept_downloads": True}


@pytest.fixture(scope="session")
def stack(tmp_path_factory, pytestconfig) -> Stack:
    """Every simulator not replaced by an external URL, seeded with the demo data (seed 0).

    Demo dealers start with their Profil configured so DMS flows are deterministic; the Profil-first
    scenario uses a fresh dealer made through the centralisateur's test routes."""
    external = external_urls(pytestconfig)
    from harness.apps import available_apps
    names = [spec.name for spec in available_apps() if spec.name not in external]
    running = Stack(tmp_path_factory.mktemp("stack"), names=names, external_urls=external,
                    extra_config={"centralisateur": {"TEST_ROUTES": True, "DEMO_PROFILES_CONFIGURED": True},
                                  "icare": {"TEST_ROUTES": True}})
    running.start()
    running.wait_ready()
    yield running
    running.stop()
