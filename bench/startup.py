"""Start-up: ``spoticar-harness up --reset`` until all seven apps answer, then a restart on the data
it left. Each start is a fresh ``python -m harness.cli`` process (imports included), timed from the
command until ``<data-dir>/stack.json`` exists (``up`` writes it once every app answered HTTP).
``python -m bench startup``; ``rows()`` feeds ``make bench``."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 60.0


def _up(data_dir: Path, *extra: str) -> tuple[float, int]:
    """Seconds from the command to every app answering, and how many apps answered."""
    state = data_dir / "stack.json"
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "harness.cli", "up", "--any-port", "--data-dir",
                                str(data_dir), *extra], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not state.exists():
            if process.poll() is not None or time.perf_counter() - start > DEADLINE:
                raise RuntimeError("spoticar-harness up n'a pas démarré")
            time.sleep(0.005)
        elapsed = time.perf_counter() - start
        urls = json.loads(state.read_text())["apps"]
        answered = sum(httpx.get(url + "/", timeout=5).status_code < 500 for url in urls.values())
        return elapsed, answered
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def measure(runs: int = 3) -> dict:
    """Median seconds of ``up --reset`` and of a restart on existing data, over ``runs`` of each."""
    fresh, again, apps = [], [], 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, apps = _up(Path(tmp), "--reset")
            fresh.append(seconds)
            again.append(_up(Path(tmp))[0])
    return {"reset": sorted(fresh)[len(fresh) // 2], "restart": sorted(again)[len(again) // 2], "apps": apps}


def rows() -> list[dict]:
    """The start-up figures of issue 15's table: ``{figure, now, target}``."""
    m = measure()
    return [{"figure": f"spoticar-harness up --reset, command to all {m['apps']} apps answering",
             "now": f"{m['reset']:.2f} s", "target": "≤ 1.0 s"},
            {"figure": "restart on existing data, command to all apps answering",
             "now": f"{m['restart']:.2f} s", "target": "≤ 0.5 s"}]


def run() -> list[str]:
    return [f"{r['figure']:<62} {r['now']}   (target {r['target']})" for r in rows()]
