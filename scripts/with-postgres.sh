#!/usr/bin/env bash
# Run a command against a fresh PostgreSQL database (DATABASE_URL set), installing and starting
# Debian's PostgreSQL when needed. Exit 0 with a notice when no PostgreSQL can be had here.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null; then
  bash "$(dirname "$0")/ensure-apt.sh" postgresql >/dev/null 2>&1 || { echo "PostgreSQL indisponible : suite PostgreSQL non jouée"; exit 0; }
fi
[ "$(id -u)" = 0 ] || { echo "PostgreSQL : droits root requis pour démarrer le serveur, suite non jouée"; exit 0; }
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >/dev/null
pg_ctlcluster "$version" main start 2>/dev/null || true
db="harness_$$"
su postgres -c "psql -qtc \"SELECT 1 FROM pg_roles WHERE rolname='harness'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE USER harness PASSWORD 'harness' CREATEDB\""
su postgres -c "createdb -O harness $db"
trap 'su postgres -c "dropdb --if-exists $db"' EXIT
DATABASE_URL="postgresql+psycopg://harness:harness@127.0.0.1/$db" "$@"
