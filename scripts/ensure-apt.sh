#!/usr/bin/env bash
# Install Debian packages when we may (root, or password-less sudo); say what to do otherwise.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "Installez : apt-get install -y $*  (droits root requis)" >&2; exit 1; fi
fi
command -v apt-get >/dev/null || { echo "apt-get absent : installez $* à la main" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
$SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
