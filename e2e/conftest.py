"""Browser suites: Debian's Chromium where present, French locale; the ``stack`` fixture (root
conftest) serves every app over real HTTP on OS-picked ports."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.accessibility import AccessibilityAudit
from harness.browser import LAUNCH_ARGS, find_browser

# A busy machine (a shared CI runner, a stack in another process) may take longer than Playwright's
# default 5 s to show what a test waits for; ``expect`` returns as soon as its condition holds, so a
# longer bound costs a passing test nothing
expect.set_options(timeout=15_000)

AUDIT = AccessibilityAudit()


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


NO_BROWSER = ("Aucun Chromium pour les suites navigateur : ni Chromium ou Chrome du système, ni celui que "
              "Playwright télécharge. Installez-le avec `make browser` (le paquet chromium de Debian), ou "
              "donnez le chemin d'un Chromium avec --browser-path ou SPOTICAR_BROWSER.")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_type, pytestconfig):
    executable = find_browser(pytestconfig.option.spoticar_browser,
                              headless=browser_type_launch_args.get("headless", True))
    args = {**browser_type_launch_args, "args": [*browser_type_launch_args.get("args", []), *LAUNCH_ARGS]}
    if executable:
        args["executable_path"] = executable
    elif not pytestconfig.option.browser_cdp and not _playwright_download(browser_type.executable_path):
        # Playwright's own answer is « playwright install », which a machine without outside network
        # cannot run: say what works here
        pytest.fail(NO_BROWSER, pytrace=False)
    return args


def _playwright_download(executable: str) -> bool:
    """Whether Playwright's download of Chromium is on this machine: its browser, or its headless
    shell alone (``playwright install --only-shell``), in the folder ``executable`` lies in."""
    path = Path(executable)
    if path.exists():
        return True
    browsers = next((folder.parent for folder in path.parents if folder.name.startswith("chromium")), None)
    return browsers is not None and any(browsers.glob("chromium_headless_shell-*/*/*"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A browser test fails when a screen it opened has a serious or critical axe violation."""
    AUDIT.reset()
    result = yield
    failure = AUDIT.failure()
    if failure:
        raise AssertionError(failure)
    return result


@pytest.fixture(scope="session")
def browser(browser_type, pytestconfig, request, tmp_path_factory):
    """The local Chromium pytest-playwright launches, or with ``--browser-cdp URL`` a Chromium running
    elsewhere (Playwright's ``connect_over_cdp``); nothing is launched here then."""
    if os.environ.get("PYTEST_XDIST_WORKER"):  # a worker's temporary directory is in the run's
        AUDIT.share(tmp_path_factory.getbasetemp().parent / "axe-audits")
    cdp = pytestconfig.option.browser_cdp
    browser = browser_type.connect_over_cdp(cdp) if cdp else request.getfixturevalue("launch_browser")()
    new_context = browser.new_context
    # every context, the plugin's and those a test opens itself, is audited for accessibility
    browser.new_context = lambda **kwargs: AUDIT.watch_context(new_context(**kwargs))
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris",
            "accept_downloads": True}
