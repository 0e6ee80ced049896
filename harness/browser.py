"""Which Chromium the suites drive: SPOTICAR_BROWSER / --browser-path, a system Chromium or Chrome,
then Playwright's bundled one (SPEC §2)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MAC_CHROME = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"

# Headless as root in CI, on a machine without outside network.
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]


def find_browser(explicit: str | None = None) -> str | None:
    """The executable to launch, or None to let Playwright use its bundled Chromium."""
    chosen = explicit or os.environ.get("SPOTICAR_BROWSER")
    if chosen:
        if not Path(chosen).exists():
            raise FileNotFoundError(f"navigateur introuvable : {chosen}")
        return chosen
    for name in SYSTEM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return MAC_CHROME if Path(MAC_CHROME).exists() else None
