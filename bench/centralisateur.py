"""Start-up time, page render times, hand-off API throughput and the browser declaration flow."""
from __future__ import annotations

import concurrent.futures as cf
import tempfile
import time
from pathlib import Path

import httpx

from bench.stats import summary, timed
from fixtures.factories import Factory
from harness.runner import Stack
from spoticar_handoff.tls import tls_context

KEY = {"Authorization": "Bearer demo-tec3h"}


def startup() -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for label in ("first start (creates + seeds data)", "restart on existing data"):
            start = time.perf_counter()
            stack = Stack(Path(tmp)).start()
            stack.wait_ready()
            lines.append(f"{'stack ready, ' + label:<46} {time.perf_counter() - start:8.3f} s   "
                         f"({len(stack.apps)} apps)")
            stack.stop()
    return lines


def http_figures(stack: Stack) -> list[str]:
    base = stack.url("centralisateur")
    factory = Factory(99)
    api = httpx.Client(verify=tls_context(), base_url=base, headers=KEY, timeout=30)
    lines = [summary("POST /api/v1/handoffs (sequential)",
                     timed(lambda: api.post("/api/v1/handoffs", json=factory.handoff()), 200))]
    payloads = [factory.handoff() for _ in range(400)]
    start = time.perf_counter()
    with cf.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda p: api.post("/api/v1/handoffs", json=p), payloads))
    lines.append(f"{'POST /api/v1/handoffs, 8 clients':<46} {400 / (time.perf_counter() - start):8.1f} req/s")
    receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
    browser = httpx.Client(verify=tls_context(), follow_redirects=True, timeout=30)
    page1 = browser.get(receipt["declaration_url"])
    lines.append(summary("GET page 1/3", timed(lambda: browser.get(str(page1.url)), 200)))
    form_url = str(page1.url).replace("/garantie", "/formulaire")
    lines.append(summary("GET form 2/3 (pre-filled, 46 fields)", timed(lambda: browser.get(form_url), 200)))
    lines.append(summary("GET Accueil (50 declarations)", timed(lambda: browser.get(base + "/"), 200)))
    lines.append(summary("GET status API", timed(
        lambda: api.get(f"/api/v1/declarations/{receipt['bdc_number']}"), 200)))
    return lines


def browser_flow(stack: Stack, runs: int = 10) -> list[str]:
    from playwright.sync_api import sync_playwright

    from harness.browser import LAUNCH_ARGS, find_browser
    factory = Factory(7)
    api = httpx.Client(verify=tls_context(), base_url=stack.url("centralisateur"), headers=KEY, timeout=30)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)
        page = browser.new_page()

        def flow():
            receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
            page.goto(receipt["declaration_url"])
            page.get_by_role("button", name="Page Suivante").click()
            page.get_by_role("button", name="Déclarer et Garantir").click()
            page.get_by_text("La création a bien été effectuée").wait_for()

        flow()  # warm-up
        samples = timed(flow, runs)
        browser.close()
    return [summary("browser: hand-off → 1/3 → 2/3 → 3/3 + contract", samples, "s")]


def run() -> list[str]:
    lines = startup()
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp), names=["centralisateur", "icare"],
                      extra_config={"centralisateur": {"DEMO_PROFILES_CONFIGURED": True}}).start()
        stack.wait_ready()
        try:
            lines += http_figures(stack)
            lines += browser_flow(stack)
        finally:
            stack.stop()
    return lines
