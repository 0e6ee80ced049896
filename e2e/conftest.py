"""Browser suites: Debian's Chromium where present, French locale; the ``stack`` fixture (root
conftest) serves every app over real HTTP on OS-picked ports."""
from __future__ import annotations

import os

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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, pytestconfig):
    executable = find_browser(pytestconfig.option.spoticar_browser,
                              headless=browser_type_launch_args.get("headless", True))
    args = {**browser_type_launch_args, "args": [*browser_type_launch_args.get("args", []), *LAUNCH_ARGS]}
    if executable:
        args["executable_path"] = executable
    return args


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
