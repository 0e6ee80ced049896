#!/usr/bin/env bash
# Provide a Chromium for the Playwright suites (SPEC §2): SPOTICAR_BROWSER, else a system
# Chromium/Chrome, else Debian's chromium package, else Playwright's own download. With a system
# Chromium, also its headless shell when the system has one to install (Debian's
# chromium-headless-shell): the suites run headless on it first, at about half the browser CPU.
set -euo pipefail
BIN=${1:-.venv/bin}
HERE=$(dirname "$0")
shell() {
  command -v chromium-headless-shell >/dev/null || command -v chrome-headless-shell >/dev/null \
    || bash "$HERE/ensure-apt.sh" chromium-headless-shell 2>/dev/null \
    || echo "(pas de chromium-headless-shell : les suites sans fenêtre utiliseront $1)"
}
found=$("$BIN/spoticar-harness" browser 2>/dev/null || true)
if [ -n "$found" ] && [ "$found" != "playwright-bundled" ]; then
  echo "navigateur : $found"
  [ -n "${SPOTICAR_BROWSER:-}" ] || shell "$found"
  exit 0
fi
# one apt-get run for both where the system has the shell; the browser alone where it has not
if bash "$HERE/ensure-apt.sh" chromium chromium-headless-shell fonts-dejavu-core 2>/dev/null \
   || bash "$HERE/ensure-apt.sh" chromium fonts-dejavu-core 2>/dev/null; then
  found=$("$BIN/spoticar-harness" browser)
  echo "navigateur : $found"; shell "$found"; exit 0
fi
# Playwright's download holds its own headless shell, which it runs headless by itself
echo "chromium système indisponible : téléchargement du Chromium de Playwright"
"$BIN/python" -m playwright install --with-deps chromium || "$BIN/python" -m playwright install chromium
