"""Bee2link and NeoVO full flows in a browser (DMS click → centralisateur 1/3, 2/3, 3/3 → contract back
on the DMS), median and p90, beside the static-page floor (a static file loaded in the same browser)."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import httpx

from bench.stats import summary, timed
from harness.runner import Stack

RUNS = 10


def _listed(stack, app: str, path: str, rrdi: str) -> list[dict]:
    """The records of site ``rrdi`` that ``app`` lists at its test route ``path`` (over HTTP)."""
    response = httpx.get(f"{stack.url(app)}/__test__{path}", params={"rrdi": rrdi}, timeout=30)
    response.raise_for_status()
    return response.json()[path.strip("/")]


def _bee2link_flow(page, stack, vehicle_ids: list[int]):
    base = stack.url("bee2link")

    def flow():
        vehicle_id = vehicle_ids.pop(0)
        page.goto(f"{base}/vo/vehicules/{vehicle_id}/livraison")
        page.get_by_role("link", name="Services externes").click()
        with page.context.expect_page() as new_window:
            page.get_by_role("button", name="Déclaration SPOTICAR").click()
        cds = new_window.value
        cds.get_by_role("button", name="Page Suivante").click()
        cds.get_by_role("button", name="Déclarer et Garantir").click()
        cds.get_by_text("La création a bien été effectuée").wait_for()
        cds.close()
        page.get_by_role("link", name=re.compile("^Commande n°")).click()
        page.get_by_test_id("contract-number").wait_for()
    return flow


def _neovo_flow(page, stack, numbers: list[str]):
    base = stack.url("neovo")

    def flow():
        dossier_url = f"{base}/dossiers/{numbers.pop(0)}"
        page.goto(dossier_url)
        page.get_by_role("button", name="Garantir").click()
        page.get_by_label("1. Déclaration de la vente Nouvelle Prestation Obligatoire").select_option(
            label="Spoticar")
        page.get_by_label("2. Garantie commerciale Spoticar").select_option(label="Garantie SPOTICAR Stellantis")
        page.get_by_role("button", name="Page Suivante").click()
        page.get_by_role("button", name="Déclarer et Garantir").click()
        page.get_by_text("La création a bien été effectuée").wait_for()
        page.goto(dossier_url)  # the dossier polls the contract if the callback is late
        page.get_by_test_id("contract-number").wait_for()
    return flow


def run() -> list[str]:
    """The figures: static-page floor, then each DMS flow (median, p90)."""
    from playwright.sync_api import sync_playwright

    from harness.browser import LAUNCH_ARGS, find_browser
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp), names=["centralisateur", "icare", "bee2link", "neovo"],
                      extra_config={"centralisateur": {"DEMO_PROFILES_CONFIGURED": True},
                                    "bee2link": {"TEST_ROUTES": True}, "neovo": {"TEST_ROUTES": True}}).start()
        stack.wait_ready()
        vehicle_ids = [o["vehicle"]["id"] for o in _listed(stack, "bee2link", "/orders", "020319L")]
        # the flow picks the Spoticar commercial warranty: the dossiers sold with a Spoticar level
        numbers = [d["number"] for d in _listed(stack, "neovo", "/dossiers", "038421N")
                   if d["warranty_level"].startswith("Spoticar")]
        runs = min(RUNS, len(vehicle_ids) - 1, len(numbers) - 1)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)
                page = browser.new_page()
                static = f"{stack.url('bee2link')}/static/bee2link.css"
                lines = [summary("browser: static page (floor)", timed(lambda: page.goto(static), 50), "s")]
                for name, flow in (("bee2link: livraison → 3/3 → contract on order",
                                    _bee2link_flow(page, stack, vehicle_ids)),
                                   ("neovo: Garantir → 1/3 by hand → 3/3 → dossier",
                                    _neovo_flow(page, stack, numbers))):
                    flow()  # warm-up
                    lines.append(summary(name, timed(flow, runs), "s"))
                browser.close()
        finally:
            stack.stop()
    return lines
