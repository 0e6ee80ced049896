"""``spoticar-harness up`` as a person runs it: ready, prints URLs and demo access, stops on Ctrl-C."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

import httpx
import pytest

from common.keys import DEMO_ICARE_SERVICE_KEY, demo_dms_keys
from fixtures.factories import Factory
from tests.up_process import HANG, read_until_ready, start_up, stop


DEMO_KEYS = demo_dms_keys()  # the apps under test run in demo mode

def _start(tmp_path, *extra):
    # seeded images (fixtures/prepared.py) kept with the test's data, not in the user's cache
    env = {**os.environ, "SPOTICAR_PREPARED_DIR": str(tmp_path / ".prepared")}
    return start_up("--any-port", "--data-dir", str(tmp_path), *extra, env=env)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_up_prints_urls_logins_keys_and_stops_cleanly(tmp_path, sig):
    process = _start(tmp_path, "--only", "centralisateur,icare")
    try:
        output = read_until_ready(process)
        assert re.search(r"Spoticar harness prêt en [0-9.]+ s", output)
        urls = dict(re.findall(r"■ (\S+).*?(http://127\.0\.0\.1:[0-9]+)", output))
        assert set(urls) == {"Centralisateur", "Icare"}
        for key in (*DEMO_KEYS.values(), DEMO_ICARE_SERVICE_KEY, "953617Z", "FR10350", "020319L", "demo-953617Z"):
            assert key in output
        assert httpx.get(urls["Centralisateur"] + "/connexion").status_code == 200
        assert httpx.get(urls["Centralisateur"] + "/api/v1/openapi.json").status_code == 200
        assert "Arrêt…" in stop(process, sig=sig)
        assert process.returncode == 0
    finally:
        process.kill()


def test_up_refuses_an_unknown_app(tmp_path):
    process = _start(tmp_path, "--only", "centralisateur,garage")
    assert process.wait(timeout=HANG) == 2
    assert "application inconnue : garage" in process.stdout.read()


def test_reset_starts_from_fresh_data_and_seed_is_kept_otherwise(tmp_path):
    for extra in ((), ("--reset",)):
        if extra:
            (tmp_path / "centralisateur" / "left-over").write_text("x")
        process = _start(tmp_path, "--only", "centralisateur,icare", *extra)
        try:
            output = read_until_ready(process)
            # the demo keys it prints still open the API (on PostgreSQL, --reset dropped the tables
            # holding them after the app had written them: every hand-off was a 401)
            cds = re.search(r"Centralisateur.*?(http://127\.0\.0\.1:[0-9]+)", output).group(1)
            handoff = httpx.post(cds + "/api/v1/handoffs", json=Factory(3).handoff(), timeout=HANG,
                                 headers={"Authorization": f"Bearer {DEMO_KEYS['tec3h']}"})
            assert handoff.status_code == 201, (extra, handoff.text)
        finally:
            stop(process)  # this test is about --reset; the clean stop has its own test
    if not os.environ.get("DATABASE_URL"):
        assert (tmp_path / "centralisateur" / "centralisateur.sqlite3").exists()
    assert not (tmp_path / "centralisateur" / "left-over").exists()
    assert (tmp_path / "centralisateur" / "seeded").read_text() == "0"


def test_journal_lists_the_exchanges_of_the_running_stack_and_writes_a_har(tmp_path):
    process = _start(tmp_path, "--only", "centralisateur,icare", "--log-level", "info", "--log-format", "json")
    try:
        output = read_until_ready(process)
        urls = dict(re.findall(r"■ (\S+).*?(http://127\.0\.0\.1:[0-9]+)", output))
        trace = "5bf92f3577b34da6a3ce929d0e0e4736"
        assert httpx.get(urls["Centralisateur"] + "/connexion",
                         headers={"traceparent": f"00-{trace}-00f067aa0ba902b7-01"}).status_code == 200
        har = tmp_path / "trace.har"
        shown = subprocess.run([sys.executable, "-m", "harness.cli", "journal", "--data-dir", str(tmp_path),
                                "--trace", trace, "--har", str(har)], capture_output=True, text=True, timeout=HANG)
        assert shown.returncode == 0, shown.stderr
        [row] = [line for line in shown.stdout.splitlines() if trace in line]
        assert row.split()[1:6] == ["centralisateur", "←", "GET", "/connexion", "200"]
        document = json.loads(har.read_text())
        assert document["log"]["version"] == "1.2"
        assert [e["request"]["url"] for e in document["log"]["entries"]] == [urls["Centralisateur"] + "/connexion"]
        log_lines = [json.loads(line) for line in (tmp_path / "centralisateur" / "app.log").read_text().splitlines()]
        access = [line for line in log_lines if line["logger"] == "spoticar.access" and line.get("trace_id") == trace]
        assert access and access[0]["app"] == "centralisateur" and access[0]["status"] == 200
        assert access[0]["path"] == "/connexion" and access[0]["duration_ms"] >= 0
        assert not (tmp_path / "icare" / "app.log").read_text().count(trace)
    finally:
        stop(process)
    assert not (tmp_path / "stack.json").exists()


def test_up_test_routes_gives_the_stack_the_suites_need(tmp_path):
    process = _start(tmp_path, "--only", "centralisateur,icare", "--test-routes")
    try:
        urls = dict(re.findall(r"■ (\S+).*?(http://127\.0\.0\.1:[0-9]+)", read_until_ready(process)))
        assert httpx.post(urls["Centralisateur"] + "/__test__/jobs/run").status_code == 200
        state = httpx.get(urls["Centralisateur"] + "/__test__/declarations/SP953617Z000000001")
        assert state.status_code == 404 and state.json()["errors"][0]["message"] == "Enregistrement introuvable."
    finally:
        stop(process)


def test_up_without_test_routes_has_none(tmp_path):
    process = _start(tmp_path, "--only", "centralisateur")
    try:
        urls = dict(re.findall(r"■ (\S+).*?(http://127\.0\.0\.1:[0-9]+)", read_until_ready(process)))
        assert httpx.post(urls["Centralisateur"] + "/__test__/jobs/run").status_code == 404
    finally:
        stop(process)


def test_a_stop_signal_as_soon_as_stack_json_appears_stops_cleanly(tmp_path):
    """Whoever sees ``stack.json`` (a script, ``bench startup``) may stop ``up`` at once: the signal is
    handled (state removed, exit 0), not the default death that leaves a stale state file behind. What
    it reads there is whole: the apps, and the start's CPU with its phases in order."""
    import time

    from harness.cli import CPU_PHASES
    process = _start(tmp_path, "--only", "icare")
    state = tmp_path / "stack.json"
    deadline = time.monotonic() + HANG
    while not state.exists():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()[0]
        time.sleep(0.001)
    recorded = json.loads(state.read_text())
    assert list(recorded["apps"]) == ["icare"]
    assert list(recorded["cpu_phases"]) == list(CPU_PHASES)
    assert all(seconds >= 0 for seconds in recorded["cpu_phases"].values())
    assert 0 < sum(recorded["cpu_phases"].values()) <= recorded["cpu_seconds"] + 0.001
    output = stop(process, sig=signal.SIGTERM)
    assert process.returncode == 0, output
    assert not state.exists()


@pytest.mark.parametrize("collecting", [True, False])
def test_a_command_leaves_the_callers_garbage_collector_as_it_found_it(collecting, capsys):
    import gc
    from harness.cli import main
    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        assert main(["browser"]) == 0
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()
    assert capsys.readouterr().out.strip()


ALL_COMMANDS = ("up", "serve", "journal", "browser", "dealers", "keys", "certify")


def test_help_lists_every_command_in_order(capsys):
    # up builds only its own parsers: the help still describes the other modules' commands
    import re

    from harness.cli import main
    for argv in (["--help"], ["-h", "up"]):
        with pytest.raises(SystemExit):
            main(argv)
        listed = re.findall(r"^    (\w+)\s", capsys.readouterr().out, re.M)
        assert tuple(listed) == ALL_COMMANDS


@pytest.mark.parametrize("argv", [["garage"], ["up", "--bogus"], ["serve", "pvo2", "de-trop"]])
def test_a_mistyped_command_line_shows_every_command_in_its_usage(argv, capsys):
    from harness.cli import main
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    assert "{" + ",".join(ALL_COMMANDS) + "}" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "said"), [
    ([], "spoticar-harness : erreur : arguments obligatoires manquants : {" + ",".join(ALL_COMMANDS) + "}"),
    (["garage"], "spoticar-harness : erreur : argument {" + ",".join(ALL_COMMANDS) + "} : choix invalide : 'garage' "
                 "(au choix : " + ", ".join(f"'{c}'" for c in ALL_COMMANDS) + ")"),
    (["up", "--bogus"], "spoticar-harness : erreur : arguments inconnus : --bogus"),
    (["up", "--seed", "x"], "spoticar-harness up : erreur : argument --seed : un nombre entier est attendu, pas 'x'"),
    (["up", "--seed"], "spoticar-harness up : erreur : argument --seed : une valeur est attendue"),
    (["serve"], "spoticar-harness serve : erreur : arguments obligatoires manquants : app"),
    (["certify", "verify"], "spoticar-harness certify verify : erreur : arguments obligatoires manquants : report"),
])
def test_command_line_mistakes_are_told_in_french(argv, said, capsys):
    """argparse's own words (its usage line, « error: », « invalid choice », « unrecognized arguments »…)
    were English around our French messages."""
    from harness.cli import main
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("utilisation : spoticar-harness") and err.endswith(said + "\n"), err


def test_help_is_in_french(capsys):
    from harness.cli import main
    for argv in (["--help"], ["up", "--help"], ["certify", "verify", "--help"]):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == 0
        helped = capsys.readouterr().out
        assert helped.startswith("utilisation : spoticar-harness") and "\noptions:\n" in helped, helped
        assert "-h, --help" in helped and "afficher cette aide et quitter" in helped
        for english in ("usage:", "show this help", "positional arguments", " starts the stack"):
            assert english not in helped, (argv, english)


@pytest.mark.parametrize("argv", [["serve", "centralisateur", "--threads", "0"],
                                  ["serve", "centralisateur", "--workers", "0"],
                                  ["up", "--processes", "--workers", "deux"]])
def test_workers_and_threads_are_whole_numbers_of_at_least_one(argv, capsys):
    """0 workers served nothing and never said so; 0 threads stopped every worker at its start."""
    from harness.cli import main
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    assert f"un nombre entier d'au moins 1 est attendu, pas « {argv[-1]} »" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["journal", "dealers", "keys", "certify"])
def test_each_other_module_command_parses_its_own_options(command, capsys):
    from harness.cli import main
    with pytest.raises(SystemExit) as stopped:
        main([command, "--help"])
    assert stopped.value.code == 0
    assert f"utilisation : spoticar-harness {command}" in capsys.readouterr().out



def test_a_stack_json_left_by_a_killed_up_is_not_taken_for_the_next_start(tmp_path):
    """``up`` killed (``kill -9``, a machine stopped) leaves its ``stack.json``: the next ``up`` on the
    same data directory removes it before starting — even one that then fails to start —, so a script
    waiting for the file waits for this start; one whose ``up`` still runs is kept."""
    import socket

    from harness.state import clear_stale_state, write_state
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait(timeout=HANG)
    state = write_state(tmp_path, {"icare": "http://127.0.0.1:9"})
    state.write_text(state.read_text().replace(f'"pid": {os.getpid()}', f'"pid": {gone.pid}'))
    with socket.socket() as taken:  # the port this up wants is taken: it stops at once
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        offset = taken.getsockname()[1] - 8001
        env = {**os.environ, "SPOTICAR_PREPARED_DIR": str(tmp_path / ".prepared")}
        failed = start_up("--only", "icare", "--port-offset", str(offset), "--data-dir", str(tmp_path), env=env)
        output = failed.communicate(timeout=HANG)[0]
    assert failed.returncode == 2, output
    assert not state.exists()
    write_state(tmp_path, {"icare": "http://127.0.0.1:9"})  # this process runs: its state is kept
    clear_stale_state(tmp_path)
    assert json.loads(state.read_text())["pid"] == os.getpid()
