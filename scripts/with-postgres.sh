#!/usr/bin/env bash
# Run a command against a fresh PostgreSQL database (DATABASE_URL set), installing and starting
# Debian's PostgreSQL when needed. When no PostgreSQL can be had here it is never skipped in silence:
# with CI set the run fails; elsewhere the skip and its reason go to the command's JUnit report
# (its --junitxml=PATH argument) and to the terminal.
set -euo pipefail

unavailable() {
  local reason="$1" junit="" arg
  for arg in "$@"; do case "$arg" in --junitxml=*) junit="${arg#--junitxml=}";; esac; done
  if [ -n "${CI:-}" ]; then
    echo "ERREUR : PostgreSQL indisponible ($reason) ; CI est défini, la suite PostgreSQL est obligatoire" >&2
    exit 1
  fi
  echo "PostgreSQL indisponible ($reason) : suite PostgreSQL non jouée${junit:+, consigné dans $junit}" >&2
  if [ -n "$junit" ]; then
    mkdir -p "$(dirname "$junit")"
    reason=${reason//&/&amp;}; reason=${reason//</&lt;}; reason=${reason//\"/&quot;}
    cat > "$junit" <<XML
<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="postgresql" tests="1" skipped="1" failures="0" errors="0">
<testcase classname="scripts.with-postgres" name="postgresql_suite"><skipped type="pytest.skip" message="PostgreSQL indisponible : $reason"/></testcase>
</testsuite></testsuites>
XML
  fi
  exit 0
}

if ! command -v pg_ctlcluster >/dev/null; then
  bash "$(dirname "$0")/ensure-apt.sh" postgresql >/dev/null 2>&1 \
    || unavailable "le paquet postgresql n'a pas pu être installé" "$@"
fi
[ "$(id -u)" = 0 ] || unavailable "droits root requis pour démarrer le serveur" "$@"
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >/dev/null \
  || unavailable "le cluster $version/main n'a pas pu être créé" "$@"
pg_ctlcluster "$version" main start 2>/dev/null || true
pg_lsclusters -h | grep -q "^$version main .* online" \
  || unavailable "le serveur $version/main ne démarre pas" "$@"
db="harness_$$"
su postgres -c "psql -qtc \"SELECT 1 FROM pg_roles WHERE rolname='harness'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE USER harness PASSWORD 'harness' CREATEDB\""
su postgres -c "createdb -O harness $db"
cleanup() {  # the database, and those the suites' xdist workers made beside it (<db>_gw0, …)
  local name
  for name in $(echo "SELECT datname FROM pg_database WHERE datname = '$db' OR datname LIKE '${db}\_%'" \
                | su postgres -c "psql -At"); do
    su postgres -c "dropdb --if-exists --force $name"
  done
}
trap cleanup EXIT
DATABASE_URL="postgresql+psycopg://harness:harness@127.0.0.1/$db" "$@"
