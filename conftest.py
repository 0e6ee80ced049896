"""Options shared by every suite: aim a suite at an external app by URL (SPEC §8)."""
from __future__ import annotations

import zlib

import pytest

from fixtures.factories import Factory
from harness.apps import APPS, available_apps
from harness.runner import Stack


def pytest_addoption(parser):
    group = parser.getgroup("spoticar", "Spoticar harness")
    for spec in APPS:
        group.addoption(f"--{spec.name.replace('_', '-')}-url", dest=f"{spec.name}_url", default=None,
                        help=f"use the {spec.title} at this URL instead of starting the simulator")
    group.addoption("--browser-path", dest="spoticar_browser", default=None,
                    help="Chromium/Chrome executable (default: SPOTICAR_BROWSER, system, bundled)")


@pytest.fixture
def factory(request) -> Factory:
    """Faker fr_FR factory seeded from the test's id: same test → same data, tests differ."""
    return Factory(zlib.crc32(request.node.nodeid.encode()))


def external_urls(config) -> dict[str, str]:
    return {spec.name: getattr(config.option, f"{spec.name}_url") for spec in APPS
            if getattr(config.option, f"{spec.name}_url", None)}


@pytest.fixture(scope="session")
def stack(tmp_path_factory, pytestconfig) -> Stack:
    """Every simulator not replaced by an external URL, seeded with the demo data (seed 0).

    Demo dealers start with their Profil configured so DMS flows are deterministic; the Profil-first
    scenario uses a fresh dealer made through the centralisateur's test routes."""
    running = start_test_stack(tmp_path_factory.mktemp("stack"), external_urls(pytestconfig))
    yield running
    running.stop()


def start_test_stack(data_dir, external: dict[str, str] | None = None) -> Stack:
    """A started stack of every available app (but those at ``external`` URLs), test routes on."""
    external = external or {}
    names = [spec.name for spec in available_apps() if spec.name not in external]
    running = Stack(data_dir, names=names, external_urls=external,
                    extra_config={"centralisateur": {"TEST_ROUTES": True, "DEMO_PROFILES_CONFIGURED": True},
                                  "icare": {"TEST_ROUTES": True}})
    running.start()
    running.wait_ready()
    return running
