"""Hand-off API throughput against a bare Flask JSON POST served the same way, in the same run.

Both run in this process on the harness's own server (``common.serve.AppServer``: waitress, 8
threads); the load comes from ``harness.loadgen`` in another process (16 keep-alive connections,
every hand-off a new sale). ``python -m bench handoff``; ``rows()`` feeds ``make bench``."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from flask import Flask, jsonify, request

from common.serve import AppServer
from fixtures.factories import Factory
from harness.runner import Stack

CONNECTIONS = 16
REQUESTS = 1200
WARM_UP = 200
KEY = "demo-tec3h"
ROOT = Path(__file__).resolve().parent.parent


def bare_app() -> Flask:
    """The floor: a Flask route that parses a JSON body and answers JSON, nothing else."""
    app = Flask("bare")

    @app.post("/echo")
    def echo():
        body = request.get_json()
        return jsonify({"received": len(body)}), 201

    return app


def load(url: str, bodies: list[dict], headers: dict[str, str] | None = None) -> dict:
    """Run ``harness.loadgen`` against ``url`` in a separate process; its JSON figures."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.writelines(json.dumps(b) + "\n" for b in bodies)
    try:
        out = subprocess.run([sys.executable, "-m", "harness.loadgen", url, f.name, str(CONNECTIONS),
                              *(f"{k}: {v}" for k, v in (headers or {}).items())],
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                             capture_output=True, text=True, timeout=300, check=True)
    finally:
        os.unlink(f.name)
    return json.loads(out.stdout)


def measure() -> dict:
    """``{"api": figures, "bare": figures}`` of one run (see ``harness.loadgen``)."""
    factory = Factory(15)
    bodies = [factory.handoff(dms_order_ref=f"BENCH{i:06d}") for i in range(WARM_UP + REQUESTS)]
    headers = {"Authorization": f"Bearer {KEY}"}
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp), names=["centralisateur", "icare"]).start()
        bare = AppServer.bind("127.0.0.1", 0).mount(bare_app()).start()
        try:
            stack.wait_ready()
            api_url = stack.url("centralisateur") + "/api/v1/handoffs"
            load(api_url, bodies[:WARM_UP], headers)
            load(bare.url + "/echo", bodies[:WARM_UP])
            api = load(api_url, bodies[WARM_UP:], headers)
            floor = load(bare.url + "/echo", bodies[WARM_UP:])
        finally:
            bare.stop()
            stack.stop()
    if set(api["statuses"]) != {"201"}:
        raise RuntimeError(f"réponses inattendues de l'API : {api['statuses']}")
    return {"api": api, "bare": floor}


def rows() -> list[dict]:
    """The hand-off figures of issue 15's table: ``{figure, now, target}``."""
    m = measure()
    api, bare = m["api"], m["bare"]
    return [
        {"figure": f"hand-off API vs bare Flask JSON POST ({CONNECTIONS} connections)",
         "now": f"{api['rate'] / bare['rate']:.2f}× ({api['rate']:,.0f} vs {bare['rate']:,.0f} req/s)",
         "target": "≥ 0.5×"},
        {"figure": "hand-off API p99 / p50",
         "now": f"p99 {api['p99_ms']:.1f} ms, p50 {api['p50_ms']:.1f} ms "
                f"(bare p99 {bare['p99_ms']:.1f} ms)",
         "target": "p99 ≤ 50 ms"},
    ]


def run() -> list[str]:
    return [f"{r['figure']:<62} {r['now']}   (target {r['target']})" for r in rows()]
