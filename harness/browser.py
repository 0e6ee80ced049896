"""Which Chromium the suites drive: SPOTICAR_BROWSER / --browser-path, a system Chromium or Chrome,
then Playwright's bundled one (SPEC §2)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# Chromium's headless shell (Debian's chromium-headless-shell, Chrome for Testing's
# chrome-headless-shell; what Playwright's own Chromium runs headless): the same engine without the
# full browser around it, about half the CPU per page and a third per new context of ``chromium
# --headless`` — most of the browser suites' CPU. Only headless: it cannot show a window.
HEADLESS_CANDIDATES = ("chromium-headless-shell", "chrome-headless-shell")
MAC_CHROME = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"

# Headless as root in CI, on a machine without outside network.
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]


def find_browser(explicit: str | None = None, headless: bool = False) -> str | None:
    """The executable to launch, or None to let Playwright use its bundled Chromium; ``headless``:
    a headless shell first when one is installed."""
    chosen = explicit or os.environ.get("SPOTICAR_BROWSER")
    if chosen:
        if not Path(chosen).exists():
            raise FileNotFoundError(f"navigateur introuvable : {chosen}")
        return chosen
    for name in (*HEADLESS_CANDIDATES, *SYSTEM_CANDIDATES) if headless else SYSTEM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return MAC_CHROME if Path(MAC_CHROME).exists() else None
