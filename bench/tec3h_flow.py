"""Tec3H: the full browser flow (vehicle from the referential → customer → Commande → Nouvelle
garantie Spoticar → Envoyer → centralisateur → contract back on the Tec3H card), beside the static-page
floor; and the Version autocomplete's server time per keystroke with the whole referential loaded."""
from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import httpx

from bench.stats import summary, timed
from fixtures.factories import Factory
from harness.runner import Stack
from simulators.tec3h import referential

TYPED = "130 allure"


def autocomplete(stack: Stack, runs: int = 50) -> list[str]:
    """Each prefix of "130 allure" as typed, over HTTP; the server's own time per keystroke (no network
    in that figure) is what the app's journal recorded for those requests (``/__admin/journal``)."""
    base = {"marque": "Peugeot", "modele": "308 (2)", "mec": "10/10/2018"}
    http = httpx.Client(base_url=stack.url("tec3h"), timeout=30)
    since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    over_http = []
    for _ in range(runs):
        for n in range(len(TYPED) + 1):
            over_http += timed(lambda: http.get("/referentiel/versions", params={**base, "q": TYPED[:n]}), 1)
    entries = http.get("/__admin/journal", params={"since": since, "limit": 5000}).json().get("entries", [])
    http.close()
    server = [e["duration_ms"] / 1000 for e in entries
              if e["direction"] == "in" and e["path"] == "/referentiel/versions"]
    every = referential.all_versions()
    whole = timed(lambda: [referential.versions(v.make, v.model, dt.date(2020, 6, 1), "130 allure")
                           for v in every[:: max(len(every) // 20, 1)]], runs)
    rows = [summary(f"autocomplete, server time per keystroke ({len(every)} versions)", server)] if server else \
        ["autocomplete, server time per keystroke: journal off, not measured"]
    return rows + [summary("autocomplete over HTTP, per keystroke", over_http),
                   summary("referential.versions × 20 models (pure)", whole)]


def browser_flow(stack: Stack, runs: int) -> list[str]:
    from playwright.sync_api import expect, sync_playwright

    from e2e.pages.centralisateur import ChooseGarantiePage, ConfirmationPage, DeclarationFormPage
    from e2e.pages.tec3h import CustomerFormPage, OrderPage, VehicleCardPage, VehicleFormPage
    from e2e.pages.tec3h_warranty import WarrantyFormPage, WarrantyTabPage
    from harness.browser import LAUNCH_ARGS, find_browser
    factory, base = Factory(11), stack.url("tec3h")
    today = dt.date.today().strftime("%d/%m/%Y")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)
        page = browser.new_page()
        static = f"{base}/static/tec3h/tec3h.css"

        def flow():
            form = VehicleFormPage(page, base).open()
            form.fill_technical("Peugeot", "Diesel", "10/10/2018", "2018")
            form.choose_model("308", "308 (2)")
            form.choose_version("130 allure", "1.5 BlueHDi 130 S&S EAT8 Allure")
            form.fill_details(factory.plate(), factory.vin(), "45000", "17500")
            form.save()
            card = VehicleCardPage(page)
            card.create_offer()
            order = OrderPage(page)
            order.create_customer()
            customer = CustomerFormPage(page)
            customer.fill_customer(factory.customer())
            customer.save()
            order.make_order(sale_date=today, delivery_date=today)
            card.open_warranty()
            tab = WarrantyTabPage(page)
            tab.new_spoticar_warranty()
            declaration_page = WarrantyFormPage(page).send_and_open_declaration()
            ChooseGarantiePage(declaration_page).choose()
            declaration = DeclarationFormPage(declaration_page)
            declaration.select("Origine de la vente*", "Reprise VO sur VO")
            declaration.fill(**{"Nationalité*": "France", "Date fin gtie constructeur*": "10/10/2020",
                                "Km gtie constructeur*": "999999"})
            declaration.declare()
            ConfirmationPage(declaration_page).contract.wait_for()
            declaration_page.close()
            expect(tab.contract_number).to_have_text(re.compile(r"^[0-9]{11}$"), timeout=30_000)

        flow()  # warm-up
        samples = timed(flow, runs)
        floor = timed(lambda: page.goto(static), 50)
        browser.close()
    # 11 page loads in the flow (Tec3H 8, centralisateur 3), plus the autocomplete requests.
    return [summary("browser: full Tec3H flow to the contract", samples, "s"),
            summary("browser: static page (floor per page load)", floor),
            f"{'floor × 11 page loads of the flow':<46} {sorted(floor)[len(floor) // 2] * 11:8.3f} s"]


def run() -> list[str]:
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp), names=["centralisateur", "icare", "tec3h"],
                      extra_config={"centralisateur": {"DEMO_PROFILES_CONFIGURED": True}}).start()
        stack.wait_ready()
        try:
            return autocomplete(stack) + browser_flow(stack, runs)
        finally:
            stack.stop()
