"""The journal's cost: the hand-off API and form 2/3 with the journal on vs off, in the same run.

Two identical stacks (centralisateur + Icare) run side by side, one journalling, one not; rounds
alternate between them so the machine's load hits both alike. The ratio is median(off) / median(on):
1.0 means free, the target is ≥ 0.9.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.stats import summary
from fixtures.factories import Factory
from harness.runner import Stack
from tests.centralisateur.support import open_form

KEY = {"Authorization": "Bearer demo-tec3h"}
ROUNDS, PER_ROUND = 6, 15


def _stack(folder: Path, enabled: bool) -> Stack:
    config = {"JOURNAL_ENABLED": enabled}
    stack = Stack(folder, names=["centralisateur", "icare"],
                  extra_config={"centralisateur": {**config, "DEMO_PROFILES_CONFIGURED": True},
                                "icare": config})
    stack.start().wait_ready()
    return stack


def _handoffs(stack: Stack, factory: Factory, samples: list[float]) -> None:
    with httpx.Client(base_url=stack.url("centralisateur"), headers=KEY, timeout=30) as api:
        for _ in range(PER_ROUND):
            payload = factory.handoff()
            start = time.perf_counter()
            assert api.post("/api/v1/handoffs", json=payload).status_code == 201
            samples.append(time.perf_counter() - start)


def _forms(stack: Stack, factory: Factory, shown: list[float], sent: list[float]) -> None:
    with httpx.Client(base_url=stack.url("centralisateur"), headers=KEY, timeout=30) as api:
        for _ in range(PER_ROUND // 3):
            receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
            browser, url, values = open_form(stack, receipt["declaration_url"])
            with browser:
                start = time.perf_counter()
                browser.get(url)
                shown.append(time.perf_counter() - start)
                start = time.perf_counter()
                page = browser.post(url, data=values)
                sent.append(time.perf_counter() - start)
                assert "Votre demande a été effectuée avec succès" in page.text


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        stacks = {on: _stack(Path(tmp) / ("on" if on else "off"), on) for on in (True, False)}
        samples = {on: {"handoff": [], "shown": [], "sent": []} for on in stacks}
        factories = {on: Factory(11) for on in stacks}  # same sales on both sides
        try:
            for on in stacks:  # warm-up: first requests compile templates and fill pools
                _handoffs(stacks[on], Factory(5), [])
            for _ in range(ROUNDS):
                for on in (True, False):
                    _handoffs(stacks[on], factories[on], samples[on]["handoff"])
                    _forms(stacks[on], factories[on], samples[on]["shown"], samples[on]["sent"])
        finally:
            for stack in stacks.values():
                stack.stop()
    lines = []
    for key, label in (("handoff", "POST /api/v1/handoffs"), ("shown", "GET form 2/3"),
                       ("sent", "POST form 2/3 (NPO + contract at Icare)")):
        for on in (True, False):
            lines.append(summary(f"{label}, journal {'on' if on else 'off'}", samples[on][key]))
        ratio = statistics.median(samples[False][key]) / statistics.median(samples[True][key])
        lines.append(f"{label + ': ratio off/on':<46} {ratio:8.2f}   (target ≥ 0.90)")
    return lines
