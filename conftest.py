"""Options shared by every suite: aim a suite at an external app by URL (SPEC §8), and the keys and
logins to present to it (demo values by default)."""
from __future__ import annotations

import zlib

import pytest

from fixtures.factories import Factory
from harness import credentials
from harness.apps import APPS, available_apps
from harness.runner import Stack
from harness.testing import SUITE_CONFIG


def pytest_addoption(parser):
    group = parser.getgroup("spoticar", "Spoticar harness")
    for spec in APPS:
        group.addoption(f"--{spec.name.replace('_', '-')}-url", dest=f"{spec.name}_url", default=None,
                        help=f"use the {spec.title} at this URL instead of starting the simulator")
    group.addoption("--browser-path", dest="spoticar_browser", default=None,
                    help="Chromium/Chrome executable (default: SPOTICAR_BROWSER, system, bundled)")
    credentials.add_options(group)


@pytest.fixture
def factory(request) -> Factory:
    """Faker fr_FR factory seeded from the test's id: same test → same data, tests differ."""
    return Factory(zlib.crc32(request.node.nodeid.encode()))


def external_urls(config) -> dict[str, str]:
    return {spec.name: getattr(config.option, f"{spec.name}_url") for spec in APPS
            if getattr(config.option, f"{spec.name}_url", None)}


def app_keys(creds: credentials.Credentials) -> dict[str, dict]:
    """The keys the apps started here use: the same the tests present (demo ones by default)."""
    keys = {dms: {"CENTRALISATEUR_API_KEY": key} for dms, key in creds.dms_keys.items()}
    return {**keys, "centralisateur": {"DMS_KEYS": creds.dms_keys, "ICARE_SERVICE_KEY": creds.icare_key},
            "icare": {"ICARE_SERVICE_KEY": creds.icare_key},
            "pvo2": {**keys.get("pvo2", {}), "PSA_INSURANCE_API_KEY": creds.icare_key}}


@pytest.fixture(scope="session")
def stack(tmp_path_factory, pytestconfig) -> Stack:
    """Every simulator not replaced by an external URL, seeded with the demo data (seed 0), with the
    test routes and the demo dealers' Profil configured (``harness.testing.SUITE_CONFIG``)."""
    external = external_urls(pytestconfig)
    creds = credentials.from_options(pytestconfig.option)
    names = [spec.name for spec in available_apps() if spec.name not in external]
    keys = app_keys(creds)
    running = Stack(tmp_path_factory.mktemp("stack"), names=names, external_urls=external, credentials=creds,
                    extra_config={name: {**SUITE_CONFIG.get(name, {}), **keys.get(name, {})} for name in names})
    running.start()
    running.wait_ready()
    yield running
    running.stop()
