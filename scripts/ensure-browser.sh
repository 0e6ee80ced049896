#!/usr/bin/env bash
# Provide a Chromium for the Playwright suites (SPEC §2): SPOTICAR_BROWSER, else a system
# Chromium/Chrome, else Debian's chromium package, else Playwright's own download.
set -euo pipefail
BIN=${1:-.venv/bin}
found=$("$BIN/spoticar-harness" browser 2>/dev/null || true)
if [ -n "$found" ] && [ "$found" != "playwright-bundled" ]; then
  echo "navigateur : $found"; exit 0
fi
if bash "$(dirname "$0")/ensure-apt.sh" chromium fonts-dejavu-core 2>/dev/null; then
  echo "navigateur : $("$BIN/spoticar-harness" browser)"; exit 0
fi
echo "chromium système indisponible : téléchargement du Chromium de Playwright"
"$BIN/python" -m playwright install --with-deps chromium || "$BIN/python" -m playwright install chromium
