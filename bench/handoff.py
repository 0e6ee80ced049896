"""Hand-off API throughput against a bare Flask JSON POST served the same way, in the same run.

Two ways of serving, each measured against its own floor (``bench/bare_flask.py``):
- ``threads``: what ``spoticar-harness up`` and the suites run — the apps in this process on the
  harness's own server (``common.serve.AppServer``: waitress, ``THREADS`` threads), the bare app beside them;
- ``processes``: what ``up --processes`` runs — the centralisateur under gunicorn
  (``spoticar-harness serve``, 2 workers × ``ServeOptions.threads``), the bare app under the same gunicorn options.

The load comes from ``harness.loadgen`` in another process (16 keep-alive connections, every
hand-off a new sale). The API and its floor take turns, round after round, so a machine shared with
other work slows both alike, the first of each round swapping (the one loaded second runs beside
the other's trailing work); the ratio is that of the totals, p99 that of every request. CPU per
request is the server's own CPU time (its process tree) over the requests it answered: a figure the
machine's load changes less than throughput. The API's journal writes its entries a little after the
answers (``common.journal``): a round of the API ends once its journal has written them all (``GET
/__admin/journal``, which waits for every worker's), that wait counted in the round's time and CPU, so
the journal's trailing work is the API's and never slows the bare app's next round.
``SPOTICAR_JOURNAL=0`` measures with the journal off.

``python -m bench handoff``; ``rows()`` feeds ``make bench``."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.bare_flask import create_app as bare_app
from common.serve import AppServer, settle_heap
from fixtures.factories import Factory
from harness.runner import Stack
from harness.serving import ServeOptions, free_port, serve_command, wait_healthy

CONNECTIONS = 16
ROUNDS = 6  # even: each target goes first as often as second
PER_ROUND = 1000
WARM_UP = 200
WORKERS = 2  # ``up --processes``'s default
KEY = "demo-tec3h"
ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def load(url: str, bodies: list[dict], headers: dict[str, str] | None = None) -> dict:
    """Run ``harness.loadgen`` against ``url`` in a separate process; its JSON figures."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.writelines(json.dumps(b) + "\n" for b in bodies)
    try:
        out = subprocess.run([sys.executable, "-m", "harness.loadgen", url, f.name, str(CONNECTIONS),
                              *(f"{k}: {v}" for k, v in (headers or {}).items())],
                             cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300, check=True)
    finally:
        os.unlink(f.name)
    return json.loads(out.stdout)


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its children (gunicorn workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def settle_journal(base_url: str):
    """A round's end for an app with a journal: every entry of the requests answered is written."""
    def settle() -> None:
        with urllib.request.urlopen(base_url + "/__admin/journal?limit=1", timeout=60) as answer:
            answer.read()
    return settle


def _rounds(targets: dict[str, tuple[str, dict, object, object]], bodies: list[dict]) -> dict:
    """Warm each target up, then load them in turn for ``ROUNDS`` rounds; totals per target.
    ``targets``: name → (url, headers, cpu() returning the server's CPU seconds so far, settle() run
    after each load and counted in it, or None)."""
    for index, (url, headers, _cpu, settle) in enumerate(targets.values()):
        load(url, bodies[index * WARM_UP:(index + 1) * WARM_UP], headers)
        if settle is not None:
            settle()
    offset = len(targets) * WARM_UP
    totals = {name: {"requests": 0, "seconds": 0.0, "cpu": 0.0, "latencies": [], "statuses": {}}
              for name in targets}
    for round_ in range(ROUNDS):
        # who goes first swaps every round: the target loaded second runs beside the first one's
        # trailing work (its journal writes, a WAL checkpoint) and came out slower, whichever it was
        order = list(targets.items()) if round_ % 2 == 0 else list(reversed(targets.items()))
        for index, (name, (url, headers, cpu, settle)) in enumerate(order):
            start = offset + (round_ * len(targets) + index) * PER_ROUND
            before = cpu()
            figures = load(url, bodies[start:start + PER_ROUND], headers)
            settled = time.perf_counter()
            if settle is not None:
                settle()
            total = totals[name]
            total["cpu"] += cpu() - before
            total["requests"] += figures["requests"]
            total["seconds"] += figures["seconds"] + time.perf_counter() - settled
            total["latencies"] += figures["latencies_ms"]
            for status, count in figures["statuses"].items():
                total["statuses"][status] = total["statuses"].get(status, 0) + count
    return {name: _summary(total) for name, total in totals.items()}


def _summary(total: dict) -> dict:
    ordered = sorted(total["latencies"])
    return {"requests": total["requests"], "rate": total["requests"] / total["seconds"],
            "p50_ms": ordered[len(ordered) // 2], "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
            "cpu_ms": total["cpu"] / total["requests"] * 1000, "statuses": total["statuses"]}


def _bodies() -> list[dict]:
    factory = Factory(15)
    return [factory.handoff(dms_order_ref=f"BENCH{i:06d}") for i in range(2 * (WARM_UP + ROUNDS * PER_ROUND))]


def measure_threads() -> dict:
    """``{"api": figures, "bare": figures}``: both served in this process by ``AppServer``."""
    headers = {"Authorization": f"Bearer {KEY}"}
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp), names=["centralisateur", "icare"]).start()
        bare = AppServer.bind("127.0.0.1", 0).mount(bare_app()).start()
        try:
            stack.wait_ready()
            settle_heap()  # as ``up`` does once every app answers
            api = stack.url("centralisateur")
            return _rounds({"api": (api + "/api/v1/handoffs", headers, time.process_time, settle_journal(api)),
                            "bare": (bare.url + "/echo", {}, time.process_time, None)}, _bodies())
        finally:
            bare.stop()
            stack.stop()


def measure_processes() -> dict:
    """``{"api": figures, "bare": figures}``: the centralisateur under ``spoticar-harness serve``, the
    bare app under the same gunicorn options, each in its own processes."""
    headers = {"Authorization": f"Bearer {KEY}"}
    api_url, bare_url = (f"http://127.0.0.1:{free_port()}" for _ in range(2))
    with tempfile.TemporaryDirectory() as tmp:
        api = subprocess.Popen(serve_command("centralisateur", api_url.removeprefix("http://"), workers=WORKERS,
                                             data_dir=Path(tmp), seed=0, demo=True, urls={}),
                               cwd=ROOT, env={**ENV, "SPOTICAR_SECRET_KEY": "bench-handoff"})
        bare = subprocess.Popen([sys.executable, "-m", "bench.bare_flask", bare_url.removeprefix("http://"),
                                 str(WORKERS), str(ServeOptions.threads)], cwd=ROOT, env=ENV)
        try:
            wait_healthy(api_url, 90, api)
            wait_healthy(bare_url, 90, bare)
            return _rounds({"api": (api_url + "/api/v1/handoffs", headers, lambda: _tree_cpu(api.pid),
                                    settle_journal(api_url)),
                            "bare": (bare_url + "/echo", {}, lambda: _tree_cpu(bare.pid), None)}, _bodies())
        finally:
            for process in (api, bare):
                process.terminate()
            for process in (api, bare):
                process.wait(timeout=30)


def _check(m: dict) -> dict:
    if set(m["api"]["statuses"]) != {"201"}:
        raise RuntimeError(f"réponses inattendues de l'API : {m['api']['statuses']}")
    return m


def rows() -> list[dict]:
    """The hand-off figures of issue 15's table, ``{figure, now, target}``: one-process and gunicorn."""
    out = []
    for label, measure in (("1 process", measure_threads), (f"gunicorn {WORKERS}×{ServeOptions.threads}", measure_processes)):
        m = _check(measure())
        api, bare = m["api"], m["bare"]
        out += [
            {"figure": f"hand-off API vs bare Flask JSON POST, {label} ({CONNECTIONS} connections)",
             "now": f"{api['rate'] / bare['rate']:.2f}× ({api['rate']:,.0f} vs {bare['rate']:,.0f} req/s; "
                    f"CPU {api['cpu_ms']:.2f} vs {bare['cpu_ms']:.2f} ms/req)",
             "target": "≥ 0.5×"},
            {"figure": f"hand-off API p99 / p50, {label}",
             "now": f"p99 {api['p99_ms']:.1f} ms, p50 {api['p50_ms']:.1f} ms (bare p99 {bare['p99_ms']:.1f} ms)",
             "target": "p99 ≤ 50 ms"},
        ]
    return out


def run() -> list[str]:
    return [f"{r['figure']:<62} {r['now']}   (target {r['target']})" for r in rows()]
