"""Start-up: ``spoticar-harness up --reset`` until all seven apps answer, then a restart on the data
it left. Each start is a fresh ``python -m harness.cli`` process (imports included), timed from the
command until ``<data-dir>/stack.json`` exists (``up`` writes it once every app answered HTTP).
Seeded images (``fixtures.prepared``) live in a scratch folder of this run: the first fresh start
has none (it seeds and keeps them) and is reported on its own; the measured ``--reset`` starts find
them, as every fresh start after the first one of the day does on a developer's machine. Between the
starts a fresh interpreter imports the libraries alone: the CPU no start in one process can go under.
``python -m bench startup``; ``rows()`` feeds ``make bench``."""
from __future__ import annotations

import json
import os
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


def _up(data_dir: Path, images: Path, *extra: str) -> tuple[float, int, float, float]:
    """Seconds from the command to every app answering, how many apps answered, the seconds ``up``
    itself reports (from its start, interpreter and command-line imports excluded), and the CPU
    seconds ``up`` had used by then."""
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
        cpu = _cpu_seconds(process.pid)
        urls = json.loads(state.read_text())["apps"]
        answered = sum(httpx.get(url + "/", timeout=5).status_code < 500 for url in urls.values())
        log.seek(0)
        said = re.search(r"prêt en ([0-9.]+) s", log.read())  # up's own figure: after its imports
        return elapsed, answered, float(said.group(1)) if said else float("nan"), cpu
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


# what every start imports before any code of ours runs: the floor a start in one process cannot go under
LIBRARIES = ("flask", "flask_wtf", "sqlalchemy.orm", "pydantic", "httpx", "waitress", "opentelemetry.trace")


def _libraries_cpu() -> float:
    """CPU seconds of a fresh interpreter importing ``LIBRARIES`` (collector off, as ``up`` runs)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", f"import gc; gc.disable(); import harness, {', '.join(LIBRARIES)}"],
                   cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": ""})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def measure(runs: int = 3) -> dict:
    """Median (seconds, up's own seconds, CPU seconds) of ``up --reset`` and of a restart on existing
    data, over ``runs`` of each, and the first fresh start that had no seeded image yet."""
    fresh, again, floor, apps = [], [], [], 0
    with tempfile.TemporaryDirectory() as images, tempfile.TemporaryDirectory() as first:
        seconds, _, said, cpu = _up(Path(first), Path(images), "--reset")
        cold = (seconds, said, cpu)
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                seconds, apps, said, cpu = _up(Path(tmp), Path(images), "--reset")
                fresh.append((seconds, said, cpu))
                seconds, _, said, cpu = _up(Path(tmp), Path(images))
                again.append((seconds, said, cpu))
                floor.append(_libraries_cpu())  # taking turns with the starts: the same machine load
    median = lambda runs: tuple(statistics.median(column) for column in zip(*runs))  # noqa: E731
    return {"reset": median(fresh), "restart": median(again), "apps": apps, "cold": cold,
            "libraries": statistics.median(floor)}


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
            {"figure": "of which importing the libraries alone (Flask, SQLAlchemy ORM, pydantic, httpx…)",
             "now": f"CPU {m['libraries']:.2f} s = {m['libraries'] / m['restart'][2]:.0%} of a restart's CPU",
             "target": "— (floor of one process)"}]


def run() -> list[str]:
    return [f"{r['figure']:<62} {r['now']}   (target {r['target']})" for r in rows()]
