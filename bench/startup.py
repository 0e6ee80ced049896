"""Start-up: ``spoticar-harness up --reset`` until all seven apps answer, then a restart on the data
it left. Each start is a fresh ``python -m harness.cli`` process (imports included), timed from the
command until ``<data-dir>/stack.json`` exists (``up`` writes it once every app answered HTTP).
Seeded images (``fixtures.prepared``) live in a scratch folder of this run: the first fresh start
has none (it seeds and keeps them) and is reported on its own; the measured ``--reset`` starts find
them, as every fresh start after the first one of the day does on a developer's machine. Between the
starts a fresh interpreter imports the libraries alone: the CPU no start in one process can go under.
What start-up leaves for later is done by ``up`` once every app answers (``harness/warm.py``: its CPU
is reported on its own) or paid by the first requests: after each restart, once ``up`` printed its
last line, the login page, Accueil and a hand-off are asked for twice (first, then warm), timed by
the clock and by the server's CPU, as a person's first click comes later still.
``python -m bench startup``; ``rows()`` feeds ``make bench``."""
from __future__ import annotations

import json
import os
import platform
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 60.0


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system, all threads) process ``pid`` has used so far; NaN off Linux. On a
    machine shared with other work the wall clock also counts waiting for a core: this does not."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def _cpu_precise(pid: int) -> float:
    """CPU seconds of every thread of ``pid``, to the nanosecond (``/proc/<pid>/task/*/schedstat``;
    ``_cpu_seconds`` counts in 10 ms ticks, coarser than one request), counted since the thread
    started: threads that ended meanwhile drop out, so only differences over a short span mean
    anything (the servers' threads live as long as the process)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e9


def _up(data_dir: Path, images: Path, *extra: str, probe=None, warm: list | None = None,
        phases: list | None = None) -> tuple[float, int, float, float]:
    """Seconds from the command to every app answering, how many apps answered, the seconds ``up``
    itself reports (from its start, interpreter and command-line imports excluded), and the CPU
    seconds ``up`` had used by then. ``probe(urls, printed, pid)`` runs once ``up`` has also done what
    it leaves for after every app answers (its warm-up: it then prints its last line, ``READY``);
    ``warm`` gets the CPU seconds that took, ``phases`` how the start's CPU was spent (``up``'s
    ``cpu_phases``)."""
    state = data_dir / "stack.json"
    start = time.perf_counter()
    log = tempfile.TemporaryFile("w+")
    process = subprocess.Popen([sys.executable, "-m", "harness.cli", "up", "--any-port", "--data-dir",
                                str(data_dir), *extra], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT), "SPOTICAR_PREPARED_DIR": str(images),
                                    "PYTHONDONTWRITEBYTECODE": ""},  # bytecode cached, as a user's is
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        while not state.exists():
            if process.poll() is not None or time.perf_counter() - start > DEADLINE:
                raise RuntimeError("spoticar-harness up n'a pas démarré")
            time.sleep(0.005)
        elapsed = time.perf_counter() - start
        cpu, precise = _cpu_seconds(process.pid), _cpu_precise(process.pid)
        # up's own reading when every app answered: this process polling the file may get a core
        # later than that on a busy machine, while up goes on with its warm-up
        recorded = json.loads(state.read_text())
        cpu = recorded.get("cpu_seconds", cpu)
        if phases is not None:
            phases.append(recorded["cpu_phases"])
        if probe is not None:  # the first requests come after the warm-up, as a person's first click
            while READY not in _read(log):
                if process.poll() is not None or time.perf_counter() - start > DEADLINE:
                    raise RuntimeError("spoticar-harness up n'a pas fini de démarrer")
                time.sleep(0.005)
            if warm is not None:
                warm.append(_cpu_precise(process.pid) - precise)
        urls = json.loads(state.read_text())["apps"]
        answered = sum(httpx.get(url + "/", timeout=5).status_code < 500 for url in urls.values())
        printed = _read(log)
        said = re.search(r"prêt en ([0-9.]+) s", printed)  # up's own figure: after its imports
        if probe is not None:
            probe(urls, printed, process.pid)
        return elapsed, answered, float(said.group(1)) if said else float("nan"), cpu
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


FIRST = ("login page", "Accueil", "hand-off")
READY = "Ctrl-C pour arrêter."  # up's last line, once its warm-up is done (tests/up_process.py)


def _read(log) -> str:
    """What ``up`` printed so far (``pread``: the file offset it shares with ``up``'s stdout stays put)."""
    log.flush()
    return os.pread(log.fileno(), 1 << 20, 0).decode("utf-8", "replace")


def _first_requests(urls: dict, printed: str, pid: int, into: dict) -> None:
    """Time the centralisateur's login page, Accueil (after a login) and a hand-off the first time
    each is asked for after a start, then again: ``into[(name, "first"|"warm")]`` gets a
    ``(milliseconds, server CPU milliseconds)`` pair per run. The login itself (a deliberately slow
    password check) is not timed. Demo login and key are read from what ``up`` printed."""
    from fixtures.factories import Factory  # Faker: the bench's process only

    login = re.search(r"connexion (\S+@\S+) / (\S+)", printed)
    key = re.search(r"clé d'API DMS tec3h\s+Authorization: Bearer (\S+)", printed)
    if not (login and key):
        raise RuntimeError("identifiants de démonstration introuvables dans la sortie de up")
    factory = Factory(7)

    def timed(name: str, turn: str, call) -> httpx.Response:
        cpu, start = _cpu_precise(pid), time.perf_counter()
        answer = call()
        into.setdefault((name, turn), []).append(((time.perf_counter() - start) * 1000,
                                                  (_cpu_precise(pid) - cpu) * 1000))
        if answer.status_code >= 400:
            raise RuntimeError(f"{name} : HTTP {answer.status_code}")
        return answer

    with httpx.Client(base_url=urls["centralisateur"], timeout=30) as client:
        for turn in ("first", "warm"):
            page = timed("login page", turn, lambda: client.get("/connexion"))
            if turn == "first":
                token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
                client.post("/connexion", data={"csrf_token": token, "email": login.group(1),
                                                "password": login.group(2)})
            timed("Accueil", turn, lambda: client.get("/"))
            body = factory.handoff(dms_order_ref=f"FIRST-{turn}")
            timed("hand-off", turn, lambda body=body: client.post(
                "/api/v1/handoffs", json=body, headers={"Authorization": f"Bearer {key.group(1)}"}))


# what every start imports before any code of ours runs: the floor a start in one process cannot go under
# (pydantic and httpx are not among them: the first request needing them, or up's warm-up, imports them)
LIBRARIES = ("flask", "flask_wtf", "sqlalchemy.orm", "sqlalchemy.dialects.sqlite", "waitress")


def _libraries_cpu() -> float:
    """CPU seconds of a fresh interpreter importing ``LIBRARIES`` (collector off, as ``up`` runs), then
    leaving at once (``os._exit``): a restart's CPU is read while it runs, so the interpreter's own
    shutdown (~70 ms of CPU, the modules and objects torn down) is no part of the floor."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c",
                    f"import gc, os; gc.disable(); import harness, {', '.join(LIBRARIES)}; os._exit(0)"],
                   cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": ""})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def measure(runs: int = 3) -> dict:
    """Median (seconds, up's own seconds, CPU seconds) of ``up --reset`` and of a restart on existing
    data, over ``runs`` of each, and the first fresh start that had no seeded image yet."""
    fresh, again, floor, apps, requests, warm, phases = [], [], [], 0, {}, [], []
    with tempfile.TemporaryDirectory() as images, tempfile.TemporaryDirectory() as first:
        seconds, _, said, cpu = _up(Path(first), Path(images), "--reset")
        cold = (seconds, said, cpu)
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                seconds, apps, said, cpu = _up(Path(tmp), Path(images), "--reset")
                fresh.append((seconds, said, cpu))
                seconds, _, said, cpu = _up(Path(tmp), Path(images), probe=lambda *seen: _first_requests(
                    *seen, into=requests), warm=warm, phases=phases)
                again.append((seconds, said, cpu))
                floor.append(_libraries_cpu())  # taking turns with the starts: the same machine load
    median = lambda runs: tuple(statistics.median(column) for column in zip(*runs))  # noqa: E731
    return {"reset": median(fresh), "restart": median(again), "apps": apps, "cold": cold,
            "libraries": statistics.median(floor), "first": {k: median(v) for k, v in requests.items()},
            "warm": statistics.median(warm), "phases": {name: statistics.median(p[name] for p in phases)
                                                        for name in phases[0]}}


def rows() -> list[dict]:
    """The start-up figures of issue 15's table: ``{figure, now, target}``."""
    m = measure()
    return [{"figure": f"spoticar-harness up --reset, command to all {m['apps']} apps answering",
             "now": f"{m['reset'][0]:.2f} s (up's own count: {m['reset'][1]:.2f} s, CPU {m['reset'][2]:.2f} s)",
             "target": "≤ 1.0 s"},
            {"figure": "restart on existing data, command to all apps answering",
             "now": f"{m['restart'][0]:.2f} s (up's own count: {m['restart'][1]:.2f} s, CPU {m['restart'][2]:.2f} s)",
             "target": "≤ 0.5 s"},
            {"figure": "first up --reset of the day (no seeded image yet: seeds, keeps images)",
             "now": f"{m['cold'][0]:.2f} s (up's own count: {m['cold'][1]:.2f} s, CPU {m['cold'][2]:.2f} s)",
             "target": "— (once a day and code version)"},
            {"figure": "of which importing the libraries alone (Flask, SQLAlchemy ORM, waitress…)",
             "now": f"CPU {m['libraries']:.2f} s = {m['libraries'] / m['restart'][2]:.0%} of a restart's CPU",
             "target": "— (floor of one process)"},
            {"figure": "a restart's CPU by phase (up's cpu_phases, harness.cli.CPU_PHASES)",
             "now": ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in m["phases"].items()),
             "target": "— (cli: interpreter, command line; imports: app packages and libraries; "
                       "build: apps created, checked, served; ready: until each answered)"},
            {"figure": "then up's warm-up, once every app answers (harness/warm.py)",
             "now": f"CPU {m['warm'] * 1000:.0f} ms (imports, mappers, templates, models)",
             "target": "— (after the start: what the first requests would pay)"}] + [
            {"figure": f"first {name} after a restart, then again",
             "now": (f"{m['first'][name, 'first'][0]:.1f} ms then {m['first'][name, 'warm'][0]:.1f} ms "
                     f"(server CPU {m['first'][name, 'first'][1]:.1f} then {m['first'][name, 'warm'][1]:.1f} ms)"),
             "target": "— (what start-up leaves for later: a few ms at most)"} for name in FIRST] + [
            {"figure": "interpreter of every start (the virtualenv's: Makefile, PYTHON)",
             "now": f"Python {platform.python_version()}, {os.path.realpath(sys.executable)}",
             "target": "— (a distribution's optimised build when there is one)"}]


def run() -> list[str]:
    return [f"{r['figure']:<62} {r['now']}   (target {r['target']})" for r in rows()]
