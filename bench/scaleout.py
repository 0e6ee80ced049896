"""Hand-off throughput on PostgreSQL: one centralisateur process (one gunicorn worker) against two
processes × two workers (``spoticar-harness serve``). Needs DATABASE_URL (``scripts/with-postgres.sh``):
``bash scripts/with-postgres.sh .venv/bin/python -m bench scaleout``."""
from __future__ import annotations

import concurrent.futures as cf
import os
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from fixtures.factories import Factory
from harness.runner import Stack
from harness.serving import free_port, serve_command, wait_healthy
from spoticar_handoff.tls import tls_context

REQUESTS = 400
CLIENTS = 16
KEY = {"Authorization": "Bearer demo-tec3h"}


def _throughput(bases: list[str], factory: Factory) -> float:
    clients = [httpx.Client(verify=tls_context(), base_url=base, headers=KEY, timeout=60) for base in bases]
    payloads = [factory.handoff() for _ in range(REQUESTS)]
    start = time.perf_counter()
    with cf.ThreadPoolExecutor(CLIENTS) as pool:
        codes = list(pool.map(lambda i: clients[i % len(clients)].post(
            "/api/v1/handoffs", json=payloads[i]).status_code, range(REQUESTS)))
    elapsed = time.perf_counter() - start
    for client in clients:
        client.close()
    if set(codes) != {201}:
        raise RuntimeError(f"réponses inattendues : {sorted(set(codes))}")
    return REQUESTS / elapsed


def _deployment(tmp: Path, icare_url: str, processes: int, workers: int) -> float:
    env = {**os.environ, "SPOTICAR_SECRET_KEY": "bench-" + tmp.name,
           "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    running, bases = [], []
    try:
        for index in range(processes):
            port = free_port()
            bases.append(f"http://127.0.0.1:{port}")
            running.append(subprocess.Popen(serve_command(
                "centralisateur", f"127.0.0.1:{port}", workers=workers, data_dir=tmp / f"{processes}-{index}",
                seed=0, demo=True, urls={"icare": icare_url}), env=env))
            wait_healthy(bases[-1], 60, running[-1])
        _throughput(bases, Factory(processes * 10 + workers))  # warm-up: connections, caches
        return _throughput(bases, Factory(processes * 100 + workers))
    finally:
        for process in running:
            process.terminate()
        for process in running:
            process.wait(timeout=30)


def run() -> list[str]:
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        return ["scaleout: non mesuré, PostgreSQL requis (bash scripts/with-postgres.sh … -m bench scaleout)"]
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        icare = Stack(Path(tmp) / "icare", names=["icare"]).start()
        try:
            for processes, workers in ((1, 1), (2, 2)):
                rate = _deployment(Path(tmp), icare.url("icare"), processes, workers)
                lines.append(f"{f'POST /api/v1/handoffs PostgreSQL, {processes} proc × {workers} workers':<58}"
                             f" {rate:8.1f} req/s  ({REQUESTS} requests, {CLIENTS} clients, {os.cpu_count()} cores)")
        finally:
            icare.stop()
    return lines
