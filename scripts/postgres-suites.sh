#!/usr/bin/env bash
# make test's PostgreSQL pass, run by scripts/with-postgres.sh (DATABASE_URL set): each group of
# suites on a fresh database of its own (<db>_<group>, dropped by with-postgres.sh), two groups at a
# time per core, longest first; each group's output is shown when it ends. Fails
# when any group fails.
#   bash scripts/with-postgres.sh bash scripts/postgres-suites.sh PYTHON --junitxml=reports/junit-postgres.xml [PYTEST ARGS…]
# Group G writes reports/junit-postgres-G.xml (the --junitxml name with -G before .xml).
set -uo pipefail
cd "$(dirname "$0")/.."
python=$1; shift
junit=reports/junit-postgres.xml args=()
for arg in "$@"; do case "$arg" in --junitxml=*) junit="${arg#--junitxml=}";; *) args+=("$arg");; esac; done
: "${DATABASE_URL:?DATABASE_URL manquant : lancez ce script par scripts/with-postgres.sh}"
# Playwright's trace and end-of-test screenshot (~0.5 s of CPU per browser test) are taken only when a
# group with --output plays its failed tests again (as make test's main pass does)
browser="--output reports/playwright-postgres"
traces="--tracing retain-on-failure --screenshot only-on-failure"

# name | paths and options (the tests that start `serve` processes seed the demo data into their
# database, so each runs alone on its own: the two-process test, the cross-process trace test)
GROUPS_=(
  "centralisateur|tests/centralisateur tests/test_icare_contract_api.py tests/test_cli.py --deselect tests/centralisateur/test_multiprocess.py::test_two_processes_two_workers_do_everything_exactly_once"
  "browser|e2e/centralisateur e2e/pvo2 $browser"
  "multiprocess|tests/centralisateur/test_multiprocess.py"
  "journal|tests/journal --ignore=tests/journal/test_cross_process.py"
  "cross_process|tests/journal/test_cross_process.py"
  "bee2link_neovo|tests/bee2link tests/neovo tests/common/test_schema_upgrade.py"
  "certification|tests/certification/test_durable_evidence.py"
  "double_submit|tests/security/test_double_submit.py tests/security/test_numbering.py tests/security/test_dms_callbacks.py tests/security/test_json_bodies.py"
)

mkdir -p "$(dirname "$junit")"
base=${DATABASE_URL%/*} db=${DATABASE_URL##*/}

run_group() {  # writes "<exit code> <seconds>" to its .code file when done
  local name=$1 paths=$2 out=${junit%.xml}-$1 start=$SECONDS code=0
  local cache="-o cache_dir=.pytest_cache/postgres-$1"  # the group's own last-failed list
  if su postgres -c "createdb -O harness ${db}_$name"; then
    # shellcheck disable=SC2086  # the paths and options are words
    DATABASE_URL="$base/${db}_$name" "$python" -m pytest -p no:xdist -q $paths "${args[@]}" $cache \
      --junitxml="$out.xml" >"$out.log" 2>&1 || code=$?
    # the replay on a fresh database too: the stack it starts seeds the demo data again
    if [ "$code" = 1 ] && [[ " $paths " == *" --output "* ]] && su postgres -c "createdb -O harness ${db}_${name}_replay"; then
      # shellcheck disable=SC2086
      DATABASE_URL="$base/${db}_${name}_replay" "$python" -m pytest -p no:xdist -q $paths "${args[@]}" $cache \
        $traces --last-failed --last-failed-no-failures none >"$out-replay.log" 2>&1
      echo "(tests en échec rejoués avec trace Playwright et capture d'écran : $out-replay.log)" >>"$out.log"
    fi
    # with --shard I/N, a small group may have no test in this shard (pytest's exit code 5)
    if [ "$code" = 5 ] && [[ " ${args[*]} " == *" --shard "* ]]; then code=0; fi
  else
    code=1
  fi
  echo "$code $(( SECONDS - start ))" >"$out.code"
}

shown=()
show_done() {  # the output of each group that ended since the last call
  local entry name out code seconds
  for entry in "${GROUPS_[@]}"; do
    name=${entry%%|*} out=${junit%.xml}-${entry%%|*}
    [[ -f "$out.code" && " ${shown[*]} " != *" $name "* ]] || continue
    read -r code seconds <"$out.code"
    echo "== PostgreSQL, $name : ${seconds} s, $([ "$code" = 0 ] && echo réussi || echo "ÉCHEC (code $code)")"
    tail -n "$([ "$code" = 0 ] && echo 3 || echo 60)" "$out.log"
    shown+=("$name")
    [ "$code" = 0 ] || status=1
  done
}

# two groups per core, as the main pass's two xdist workers per core: the groups mostly wait (a browser,
# serve processes, callbacks)
slots=$(( 2 * $(nproc 2>/dev/null || echo 1) )); [ "$slots" -ge 2 ] || slots=2
status=0
for entry in "${GROUPS_[@]}"; do rm -f "${junit%.xml}-${entry%%|*}.code"; done
for entry in "${GROUPS_[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$slots" ]; do wait -n; show_done; done
  run_group "${entry%%|*}" "${entry#*|}" &
done
wait
show_done
[ "${#shown[@]}" = "${#GROUPS_[@]}" ] || { echo "ERREUR : un groupe PostgreSQL n'a rien rendu" >&2; status=1; }
exit $status
