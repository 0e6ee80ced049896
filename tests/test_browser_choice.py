"""Which Chromium the suites launch (harness/browser.py): headless runs take a headless shell first
when one is installed, headed ones (and ``spoticar-harness browser``) the full browser."""
from __future__ import annotations

import pytest

from harness.browser import find_browser


@pytest.fixture
def path_with(tmp_path, monkeypatch):
    """``path_with(*names)``: PATH holds only executables of these names."""
    def make(*names: str):
        for name in names:
            exe = tmp_path / name
            exe.write_text("#!/bin/sh\n")
            exe.chmod(0o755)
        monkeypatch.setenv("PATH", str(tmp_path))
        monkeypatch.delenv("SPOTICAR_BROWSER", raising=False)
        return tmp_path
    return make


def test_headless_takes_the_headless_shell_first(path_with):
    where = path_with("chromium", "chromium-headless-shell")
    assert find_browser(headless=True) == str(where / "chromium-headless-shell")
    assert find_browser() == str(where / "chromium")


def test_without_a_shell_headless_takes_the_full_browser(path_with):
    where = path_with("chromium")
    assert find_browser(headless=True) == str(where / "chromium")


def test_an_explicit_browser_wins(path_with, tmp_path):
    path_with("chromium-headless-shell")
    chosen = tmp_path / "chromium"
    chosen.write_text("")
    assert find_browser(str(chosen), headless=True) == str(chosen)
