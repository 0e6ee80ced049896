"""A browser suite driving a Chromium that runs elsewhere: ``--browser-cdp`` and ``--advertise-host``.

The "remote" Chromium is started here with ``--remote-debugging-port=0``; the suite runs in a child
pytest with no local browser available at all (SPOTICAR_BROWSER points nowhere), so it passes only
if every page was opened over CDP, at the advertised host.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from harness.browser import LAUNCH_ARGS, find_browser

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def remote_chromium(tmp_path):
    """A headless Chromium listening for CDP on an OS-picked port: its http:// endpoint."""
    process = subprocess.Popen(
        [find_browser(headless=True), "--headless=new", "--remote-debugging-port=0",
         "--remote-debugging-address=127.0.0.1",
         f"--user-data-dir={tmp_path / 'profile'}", *LAUNCH_ARGS, "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)  # its own process group: the whole browser goes at the end
    try:
        for line in process.stderr:  # Chromium announces its endpoint on stderr
            found = re.search(r"DevTools listening on ws://([\d.]+:\d+)/", line)
            if found:
                break
        else:
            raise AssertionError("Chromium n'a pas annoncé son point d'accès DevTools")
        yield f"http://{found.group(1)}"
    finally:
        # Debian's chromium-headless-shell is a shell script running the browser as its child:
        # terminating the script alone left the browser running after every suite
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


def test_suite_drives_a_remote_chromium_at_the_advertised_host(remote_chromium, tmp_path):
    assert "Browser" in httpx.get(remote_chromium + "/json/version").json()
    env = {**os.environ, "SPOTICAR_BROWSER": str(tmp_path / "no-local-browser"),
           "SPOTICAR_BROWSER_CDP": remote_chromium, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
         "--advertise-host", "localhost", "-o", "addopts=",
         "e2e/centralisateur/test_declaration.py::test_handoff_declared_in_browser_shows_both_numbers",
         "e2e/centralisateur/test_declaration.py::test_declaration_rejects_missing_vehicle_type_and_plate"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout
