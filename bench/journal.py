"""The journal's cost: the hand-off API and form 2/3 with the journal on vs off, in the same run.

Two identical stacks (centralisateur + Icare, ``spoticar-harness up``) run side by side in their own
processes, one with ``SPOTICAR_JOURNAL=0``; both are measured at the same time, step by step, so the
machine's load hits both alike. Figures per step: the client's latency (median), the server process's CPU time per
request (its CPU clock — ``clock_gettime`` of its pid's CPUCLOCK_SCHED, every thread to the nanosecond:
journal capture and writer included; each step lets the writer commit what came before it and what
it queued itself; the process's idle CPU over that wait, probed before the step, is not counted) —
on a shared, busy machine the CPU figure is the steadier one —, and for the hand-off API the
throughput of bursts from concurrent clients, sent to both stacks at the same time.
Ratios are on / off throughput (off / on latency and CPU; CPU and throughput as medians of the rounds' ratios):
1.0 means free, the target ≥ 0.9.
``rows()`` gives them to ``python -m bench``'s table.
"""
from __future__ import annotations

import concurrent.futures as cf
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.stats import summary
from common.journal.store import _LINGER
from fixtures.factories import Factory
from tests.centralisateur.support import open_form
from spoticar_handoff.tls import tls_context

KEY = {"Authorization": "Bearer demo-tec3h"}
# requests per step and round: enough that the process's idle CPU over a step's settle time (the
# centralisateur's worker polls every second, ~2 ms of CPU a pass) is a small part of a request's figure —
# with 15 it was ~0.3 ms of a ~1 ms hand-off, and the CPU ratio swung by ±0.2 from run to run
ROUNDS, HANDOFFS, FORMS = 8, 60, 24
BURST, CLIENTS = 100, 8  # hand-offs per round from concurrent clients: the throughput figure (long
# enough, several linger periods, for the journal writer's commits to fall inside it, as under steady load)
SETTLE = _LINGER + 0.2  # seconds for the journal's writer to gather and commit what was queued
# seconds of an idle probe before each measure: what the process spends doing nothing (its servers'
# poll loops, ~1.7 ms a second each, the centralisateur's worker) is taken out of the settle time
# after the requests — over a step's 1.2 s it was ~0.1 ms per hand-off, on both stacks alike
IDLE = 0.5
STEPS = (("handoff", "POST /api/v1/handoffs"), ("shown", "GET form 2/3"),
         ("sent", "POST form 2/3 (NPO + contract at Icare)"))


# served as ``spoticar-harness up`` serves (``common.serve.settle_heap``): what start-up built is frozen
# out of the garbage collector's passes — else each full pass walks the ~200,000 objects of the apps
# (0.1–0.4 s) at a moment set by whatever allocates, and lands on one stack's step or the other's
SERVER = """
import sys
from common.serve import settle_heap
from harness.runner import Stack
stack = Stack(sys.argv[1], names=["centralisateur", "icare"],
              extra_config={"centralisateur": {"DEMO_PROFILES_CONFIGURED": True}}).start()
stack.wait_ready()
settle_heap()
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
        try:  # the process's CPU clock (Linux: every thread, ended ones too), to the nanosecond
            return time.clock_gettime((~self.process.pid << 3) | 2)
        except OSError:  # /proc counts in ticks (10 ms): coarse for a few requests
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _measure(stack: Stack, calls, latency: list[float], cpu: list[float], together: threading.Barrier) -> None:
    """Run ``calls`` one by one; record each latency and the CPU per call of the whole batch (less
    what the process spends idle over the settle time after them, probed just before). Both stacks
    start each step ``together``."""
    together.wait()
    time.sleep(SETTLE)  # the writer commits what the previous step queued before this measure…
    probe = stack.cpu()
    time.sleep(IDLE)
    before = stack.cpu()
    idle = (before - probe) / IDLE  # CPU seconds a second, nothing being asked
    for call in calls:
        start = time.perf_counter()
        call()
        latency.append(time.perf_counter() - start)
    time.sleep(SETTLE)  # …and this step's entries inside it: each step pays for its own entries
    cpu.append((stack.cpu() - before - idle * SETTLE) / len(calls))


def _burst(api: httpx.Client, payloads: list[dict]) -> float:
    """Hand-offs per second from ``CLIENTS`` concurrent clients sending ``payloads``."""
    start = time.perf_counter()
    with cf.ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(lambda p: api.post("/api/v1/handoffs", json=p).status_code, payloads))
    elapsed = time.perf_counter() - start
    assert set(answers) == {201}, answers
    return len(payloads) / elapsed


def _round(stack: Stack, factory: Factory, samples: dict, together: threading.Barrier) -> None:
    with httpx.Client(verify=tls_context(), base_url=stack.url, headers=KEY, timeout=60,
                      limits=httpx.Limits(max_connections=CLIENTS)) as api:
        payloads = [factory.handoff() for _ in range(HANDOFFS)]
        _measure(stack, [lambda p=p: api.post("/api/v1/handoffs", json=p) for p in payloads],
                 *samples["handoff"], together)
        forms = [open_form(None, api.post("/api/v1/handoffs", json=factory.handoff()).json()["declaration_url"])
                 for _ in range(FORMS)]
    _measure(stack, [lambda b=b, u=u: b.get(u) for b, u, _ in forms], *samples["shown"], together)
    _measure(stack, [lambda b=b, u=u, v=v: b.post(u, data=v) for b, u, v in forms], *samples["sent"], together)
    for browser, _, _ in forms:
        browser.close()


def _rounds(stacks: dict, factories: dict, samples: dict) -> None:
    """One round of each stack, side by side, step by step: a step measures both stacks over the same
    seconds, so whatever else loads the machine then loads both alike (one stack after the other, a
    busy neighbour's spike or lull ten seconds long decided a round's ratio: ±0.2 on a loaded machine).
    Each process's CPU clock counts its own threads only."""
    together = threading.Barrier(len(stacks))
    with cf.ThreadPoolExecutor(len(stacks)) as pool:
        for done in [pool.submit(_round, stacks[on], factories[on], samples[on], together) for on in stacks]:
            done.result()


def _bursts(stacks: dict, factories: dict, samples: dict) -> None:
    """Both stacks take a burst at the same time: whatever else loads the machine then loads both alike
    (one after the other, a busy neighbour's spike decides the ratio)."""
    clients = {on: httpx.Client(verify=tls_context(), base_url=stacks[on].url, headers=KEY, timeout=60,
                                limits=httpx.Limits(max_connections=CLIENTS)) for on in stacks}
    try:
        payloads = {on: [factories[on].handoff() for _ in range(BURST)] for on in stacks}
        with cf.ThreadPoolExecutor(len(stacks)) as pool:
            rates = dict(zip(stacks, pool.map(lambda on: _burst(clients[on], payloads[on]), stacks)))
        for on, rate in rates.items():
            samples[on]["burst"].append(rate)
        time.sleep(SETTLE)  # the writer's last commit of the burst, before the next measure
    finally:
        for client in clients.values():
            client.close()


def measure() -> dict:
    """Samples of both stacks, ``{journal on?: {step: (latencies, cpu per request), "burst": [req/s]}}``."""
    fresh = lambda: {**{key: ([], []) for key, _ in STEPS}, "burst": []}  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        stacks = {on: Stack(Path(tmp) / ("on" if on else "off"), on) for on in (True, False)}
        samples = {on: fresh() for on in stacks}
        try:
            # warm-up: templates compiled, pools filled
            _rounds(stacks, {on: Factory(5) for on in stacks}, {on: fresh() for on in stacks})
            factories = {on: Factory(11) for on in stacks}  # the same sales on both sides
            for _ in range(ROUNDS):
                _rounds(stacks, factories, samples)
                _bursts(stacks, factories, samples)
        finally:
            for stack in stacks.values():
                stack.stop()
    return samples


def _ratios(samples: dict) -> dict:
    """Per step, on/off: latency (off/on medians), CPU (median of the rounds' off/on ratios: each round
    measures both stacks at once, so a neighbour's spike skews one round, not the figure — a form
    2/3 sending costs ~40 ms of CPU, mostly the contract's PDF, and varies by ±20 % on a busy machine);
    hand-off throughput (median of the rounds' on/off ratios, both bursts of a round run at once)."""
    ratios = {key: (statistics.median(samples[False][key][0]) / statistics.median(samples[True][key][0]),
                    statistics.median(off / on for off, on in zip(samples[False][key][1], samples[True][key][1])))
              for key, _ in STEPS}
    ratios["burst"] = statistics.median(on / off for on, off in zip(samples[True]["burst"], samples[False]["burst"]))
    return ratios


def _lines(samples: dict, ratios: dict) -> list[str]:
    lines = []
    for key, label in STEPS:
        for on in (True, False):
            latency, cpu = samples[on][key]
            lines.append(summary(f"{label}, journal {'on' if on else 'off'}", latency)
                         + f"   cpu {statistics.mean(cpu) * 1000:6.2f} ms/req")
        ratio, cpu_ratio = ratios[key]
        # the journal's own CPU per request: the rounds' on − off differences (noise of a busy machine
        # included: a step of one stack may cost more than the other's with nothing to do with the journal)
        cost = statistics.median(on - off for on, off in zip(samples[True][key][1], samples[False][key][1]))
        lines.append(f"{label}: ratio off/on  latency {ratio:.2f}  cpu {cpu_ratio:.2f} (median of {ROUNDS} rounds)"
                     f"   (target ≥ 0.90); journal {cost * 1000:+.2f} ms CPU/req (median of on − off)")
    for on in (True, False):
        lines.append(f"POST /api/v1/handoffs, {CLIENTS} clients, journal {'on' if on else 'off'}: "
                     f"{statistics.median(samples[on]['burst']):6.1f} req/s (median of {ROUNDS} bursts of {BURST}, "
                     "both stacks at once)")
    lines.append(f"hand-off throughput: ratio on/off {ratios['burst']:.2f}   (target ≥ 0.90)")
    return lines


def run() -> list[str]:
    samples = measure()
    return _lines(samples, _ratios(samples))


def rows() -> list[dict]:
    """The detail lines (printed) and issue 10's rows: journal on vs off, same run."""
    samples = measure()
    ratios = _ratios(samples)
    for line in _lines(samples, ratios):
        print("  " + line, flush=True)
    return [{"figure": f"journal on/off, débit hand-off ({CLIENTS} clients)", "now": f"{ratios['burst']:.2f}",
             "target": "≥ 0.9"},
            {"figure": "journal on/off, CPU par hand-off", "now": f"{ratios['handoff'][1]:.2f}", "target": "≥ 0.9"},
            {"figure": "journal on/off, CPU par affichage du formulaire 2/3", "now": f"{ratios['shown'][1]:.2f}",
             "target": "≥ 0.9"},
            {"figure": "journal on/off, CPU par envoi du formulaire 2/3", "now": f"{ratios['sent'][1]:.2f}",
             "target": "≥ 0.9"}]
