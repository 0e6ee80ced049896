"""Options shared by every suite: aim a suite at an external app by URL (SPEC §8)."""
from __future__ import annotations

import os
import socket
import zlib

import pytest

from fixtures.factories import Factory
from harness.apps import APPS, available_apps
from harness.runner import Stack

# a failing test that drove a stack gets the journal of the traces it touched (report extra + HAR)
pytest_plugins = ["harness.pytest_journal"]


def pytest_addoption(parser):
    group = parser.getgroup("spoticar", "Spoticar harness")
    for spec in APPS:
        group.addoption(f"--{spec.name.replace('_', '-')}-url", dest=f"{spec.name}_url", default=None,
                        help=f"use the {spec.title} at this URL instead of starting the simulator")
    group.addoption("--browser-path", dest="spoticar_browser", default=None,
                    help="Chromium/Chrome executable (default: SPOTICAR_BROWSER, system, bundled)")
    group.addoption("--browser-cdp", dest="browser_cdp", default=os.environ.get("SPOTICAR_BROWSER_CDP"),
                    help="drive a Chromium running elsewhere over CDP, e.g. http://browser:9222 "
                         "(default: SPOTICAR_BROWSER_CDP)")
    group.addoption("--advertise-host", dest="advertise_host", default=None,
                    help="host name the browser reaches the test stack by: the stack listens on the "
                         "address it resolves to and hands out URLs with it")
    group.addoption("--shard", dest="shard", default=None, metavar="I/N",
                    help="run only shard I of N (1 ≤ I ≤ N), the same split on every machine "
                         "(pytest-split; by recorded durations when .test_durations exists)")


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """``--shard I/N`` is pytest-split's ``--group I --splits N``, in the form CI matrices use."""
    shard = config.getoption("shard")
    if not shard:
        return None
    index, _, total = shard.partition("/")
    if not (index.isdigit() and total.isdigit() and 1 <= int(index) <= int(total)):
        raise pytest.UsageError(f"--shard {shard} : attendu I/N avec 1 ≤ I ≤ N, par exemple 2/4")
    config.option.group, config.option.splits = int(index), int(total)
    return None


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
    running = start_test_stack(tmp_path_factory.mktemp("stack"), external_urls(pytestconfig),
                               pytestconfig.option.advertise_host)
    yield running
    running.stop()


def start_test_stack(data_dir, external: dict[str, str] | None = None, advertise: str | None = None) -> Stack:
    """A started stack of every available app (but those at ``external`` URLs), test routes on;
    ``advertise``: the host name other machines reach it by (default: loopback only)."""
    external = external or {}
    names = [spec.name for spec in available_apps() if spec.name not in external]
    running = Stack(data_dir, names=names, external_urls=external,
                    host=socket.gethostbyname(advertise) if advertise else "127.0.0.1",
                    advertise_host=advertise,
                    extra_config={"centralisateur": {"TEST_ROUTES": True, "DEMO_PROFILES_CONFIGURED": True},
                                  "icare": {"TEST_ROUTES": True}})
    running.start()
    running.wait_ready()
    return running
