"""The journal's cost: the hand-off API and form 2/3 with the journal on vs off, in the same run.

Two identical stacks (centralisateur + Icare, ``spoticar-harness up``) run side by side in their own
processes, one with ``SPOTICAR_JOURNAL=0``; rounds alternate between them so the machine's load hits
both alike. Two figures per step: the client's latency (median), and the server process's CPU time
per request (``/proc/<pid>/stat``: journal capture and writer thread included) — on a shared, busy
machine the CPU figure is the steadier one. Ratios are off / on: 1.0 means free, the target ≥ 0.9.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.stats import summary
from fixtures.factories import Factory
from tests.centralisateur.support import open_form

KEY = {"Authorization": "Bearer demo-tec3h"}
ROUNDS, HANDOFFS, FORMS = 8, 15, 5
STEPS = (("handoff", "POST /api/v1/handoffs"), ("shown", "GET form 2/3"),
         ("sent", "POST form 2/3 (NPO + contract at Icare)"))


SERVER = """
import sys
from harness.runner import Stack
stack = Stack(sys.argv[1], names=["centralisateur", "icare"],
              extra_config={"centralisateur": {"DEMO_PROFILES_CONFIGURED": True}}).start()
stack.wait_ready()
print(stack.url("centralisateur"), flush=True)
sys.stdin.read()  # until the bench closes our stdin
stack.stop()
"""


class Stack:
    """The centralisateur and Icare in a process of their own; ``cpu()`` is its CPU seconds so far."""

    def __init__(self, folder: Path, journal: bool):
        env = {**os.environ, "SPOTICAR_JOURNAL": "1" if journal else "0"}
        self.process = subprocess.Popen([sys.executable, "-c", SERVER, str(folder)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env=env)
        self.url = self.process.stdout.readline().strip()

    def cpu(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _measure(stack: Stack, calls, latency: list[float], cpu: list[float]) -> None:
    """Run ``calls`` one by one; record each latency and the CPU per call of the whole batch."""
    before = stack.cpu()
    for call in calls:
        start = time.perf_counter()
        call()
        latency.append(time.perf_counter() - start)
    time.sleep(0.15)  # let the journal writer finish this batch inside the measure
    cpu.append((stack.cpu() - before) / len(calls))


def _round(stack: Stack, factory: Factory, samples: dict) -> None:
    with httpx.Client(base_url=stack.url, headers=KEY, timeout=60) as api:
        payloads = [factory.handoff() for _ in range(HANDOFFS)]
        _measure(stack, [lambda p=p: api.post("/api/v1/handoffs", json=p) for p in payloads],
                 *samples["handoff"])
        forms = [open_form(None, api.post("/api/v1/handoffs", json=factory.handoff()).json()["declaration_url"])
                 for _ in range(FORMS)]
    _measure(stack, [lambda b=b, u=u: b.get(u) for b, u, _ in forms], *samples["shown"])
    _measure(stack, [lambda b=b, u=u, v=v: b.post(u, data=v) for b, u, v in forms], *samples["sent"])
    for browser, _, _ in forms:
        browser.close()


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        stacks = {on: Stack(Path(tmp) / ("on" if on else "off"), on) for on in (True, False)}
        samples = {on: {key: ([], []) for key, _ in STEPS} for on in stacks}
        try:
            for on in stacks:  # warm-up: templates compiled, pools filled
                _round(stacks[on], Factory(5), {key: ([], []) for key, _ in STEPS})
            factories = {on: Factory(11) for on in stacks}  # the same sales on both sides
            for _ in range(ROUNDS):
                for on in (True, False):
                    _round(stacks[on], factories[on], samples[on])
        finally:
            for stack in stacks.values():
                stack.stop()
    lines = []
    for key, label in STEPS:
        for on in (True, False):
            latency, cpu = samples[on][key]
            lines.append(summary(f"{label}, journal {'on' if on else 'off'}", latency)
                         + f"   cpu {statistics.mean(cpu) * 1000:6.2f} ms/req")
        ratio = statistics.median(samples[False][key][0]) / statistics.median(samples[True][key][0])
        cpu_ratio = statistics.mean(samples[False][key][1]) / statistics.mean(samples[True][key][1])
        lines.append(f"{label}: ratio off/on  latency {ratio:.2f}  cpu {cpu_ratio:.2f}   (target ≥ 0.90)")
    return lines
