"""The DMS browser flows against the browser's floor, and the Tec3H autocomplete.

Each flow runs in one Chromium (warm-up first, then ``BENCH_RUNS`` runs, 5 by default):
- Tec3H: vehicle from the referential → customer → Commande → Nouvelle garantie Spoticar → Envoyer →
  centralisateur 1/3, 2/3, 3/3 → the contract number pushed back onto the Tec3H Garantie tab;
- PVO2: offer → bon de commande → Clôturer → Déclarer → centralisateur 1/3, 2/3, 3/3 → contract number
  on the PVO2 order.
Its floor is the same flow replayed against static copies of the answers one run received, on the
same addresses (``bench/replay.py``): same pages, same CSS/JS, same clicks and typing, servers doing
no work. The ratio says what the apps cost beyond the browser's own work. The former floor (as many
bare static pages, one link click each) is printed too. The data a run types (customer, vehicle
for sale) is chosen before the clock starts.
``python -m bench flows``; ``rows()`` feeds ``make bench``."""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.stats import summary, timed
from fixtures.factories import Factory
from harness.runner import Stack
from simulators.tec3h import referential
from spoticar_handoff.tls import tls_context

CENTRALISATEUR = {"centralisateur": {"DEMO_PROFILES_CONFIGURED": True}}


TYPED = "130 allure"


def autocomplete(stack: Stack, runs: int = 50) -> list[str]:
    """Each prefix of "130 allure" as typed, over HTTP; the server's own time per keystroke (no network
    in that figure) is what the app's journal recorded for those requests (``/__admin/journal``)."""
    base = {"marque": "Peugeot", "modele": "308 (2)", "mec": "10/10/2018"}
    http = httpx.Client(verify=tls_context(), base_url=stack.url("tec3h"), timeout=30)
    since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    over_http = []
    for _ in range(runs):
        for n in range(len(TYPED) + 1):
            over_http += timed(lambda n=n: http.get("/referentiel/versions", params={**base, "q": TYPED[:n]}), 1)
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


def _tec3h_data(base: str, factory: Factory) -> dict:
    """What one Tec3H run types: a new vehicle and customer."""
    return {"plate": factory.plate(), "vin": factory.vin(), "customer": factory.customer()}


def _tec3h_flow(page, base: str, data: dict) -> None:
    from playwright.sync_api import expect

    from e2e.pages.centralisateur import (
        ChooseGarantiePage,
        ConfirmationPage,
        DeclarationFormPage,
    )
    from e2e.pages.tec3h import (
        CustomerFormPage,
        OrderPage,
        VehicleCardPage,
        VehicleFormPage,
    )
    from e2e.pages.tec3h_warranty import WarrantyFormPage, WarrantyTabPage
    today = dt.date.today().strftime("%d/%m/%Y")
    form = VehicleFormPage(page, base).open()
    form.fill_technical("Peugeot", "Diesel", "10/10/2018", "2018")
    form.choose_model("308", "308 (2)")
    form.choose_version("130 allure", "1.5 BlueHDi 130 S&S EAT8 Allure")
    form.fill_details(data["plate"], data["vin"], "45000", "17500")
    form.save()
    card = VehicleCardPage(page)
    card.create_offer()
    order = OrderPage(page)
    order.create_customer()
    customer = CustomerFormPage(page)
    customer.fill_customer(data["customer"])
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


def _pvo2_data(pvo2_url: str, factory: Factory) -> dict:
    """What one PVO2 run types: a new customer, and a vehicle still for sale (a vehicle is sold once)."""
    from e2e.pvo2.conftest import vehicle_for_sale
    return {"customer": factory.customer(), "plate": vehicle_for_sale(pvo2_url)}


def _pvo2_flow(page, pvo2_url: str, data: dict) -> None:
    from e2e.pages.pvo2 import NewOfferPage, OfferPage, OffersPage, OrderPage
    from e2e.pvo2.conftest import complete_declaration
    customer = data["customer"]
    OffersPage(page, pvo2_url).open().create_offer()
    NewOfferPage(page, pvo2_url).create(customer, data["plate"])
    OfferPage(page, pvo2_url).generate_bdc()
    order = OrderPage(page, pvo2_url)
    order.heading.wait_for()
    order.set_delivery(dt.date.today().strftime("%d/%m/%Y"))
    order.close()
    order.closed.wait_for()
    popup = order.declare()
    complete_declaration(popup, customer).declare()
    popup.get_by_text("La création a bien été effectuée").wait_for()
    popup.close()
    order.contract_number.wait_for()  # pushed onto the order page, no reload


def _static_site(root: Path, pages: int) -> None:
    for n in range(pages + 1):
        (root / f"p{n}.html").write_text(
            f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Page {n}</title></head>'
            f'<body><h1>Page {n}</h1><a href="p{n + 1}.html">Suivant</a></body></html>', encoding="utf-8")


def _static_server(root: Path) -> http.server.ThreadingHTTPServer:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _bare_floor(page, count: int, runs: int, tmp: Path) -> list[float]:
    """The former floor: ``count`` bare static pages, one link click each."""
    root = tmp / "static"
    root.mkdir()
    _static_site(root, count)
    server = _static_server(root)
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def floor():
        page.goto(f"{base}/p0.html")
        for n in range(1, count):
            page.get_by_role("link", name="Suivant").click()
            page.get_by_role("heading", name=f"Page {n}", exact=True).wait_for()

    floor()
    samples = timed(floor, runs)
    server.shutdown()
    server.server_close()
    return samples


def _against_floor(stack: Stack, app: str, flow, prepare, runs: int, tmp: Path) -> dict:
    """``flow(page, base, data)`` in one browser (``prepare(base)`` gives each run's data, untimed):
    one run recorded, then ``runs`` rounds of a real run and a replay of the recording with the apps'
    servers stopped (the floor), in turn so that both see the same machine; then the bare static
    pages. Samples by name, and the page-load count."""
    from playwright.sync_api import sync_playwright

    from bench.replay import Recording
    from harness.browser import LAUNCH_ARGS, find_browser
    base = stack.url(app)

    def replayed(recording: Recording) -> float:
        for name in stack.apps:
            stack.stop_serving(name)  # the recording answers on the apps' addresses meanwhile
        try:
            with recording.serve():
                recording.rewind()
                return _clocked(lambda: flow(page, base, recorded))
        finally:
            for name in stack.apps:
                stack.serve_again(name)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        loads = []
        context.on("page", lambda new: new.on("load", lambda _: loads.append(1)))
        page.on("load", lambda _: loads.append(1))
        flow(page, base, prepare(base))  # warm-up, and the count of loads
        count = len(loads)
        recorded = prepare(base)
        recording = Recording(stack, list(stack.apps))
        flow(page, base, recorded)
        recording.stop()
        replayed(recording)  # the replay's warm-up
        samples, floor = [], []
        for _ in range(runs):
            data = prepare(base)
            samples.append(_clocked(lambda data=data: flow(page, base, data)))
            floor.append(replayed(recording))
        bare = _bare_floor(page, count, runs, tmp)
        browser.close()
    return {"flow": [s[0] for s in samples], "replay": [s[0] for s in floor], "bare": bare, "count": count,
            "flow_cpu": [s[1] for s in samples], "replay_cpu": [s[1] for s in floor],
            "paired": [a[0] / b[0] for a, b in zip(samples, floor)]}


def _clocked(fn) -> tuple[float, float]:
    """``(wall seconds, this process's CPU seconds)`` of ``fn()``: the apps run in this process, the
    browser does not, so the CPU figure is the servers' (and Playwright's client) work, whatever
    the machine's load."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def _measured(name: str, apps: list[str], flow, prepare, runs: int, details: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp) / "stack", names=apps, extra_config=CENTRALISATEUR).start()
        try:
            stack.wait_ready()
            if name == "Tec3H":
                details += autocomplete(stack)
            found = _against_floor(stack, apps[-1], flow, prepare, runs, Path(tmp))
        finally:
            stack.stop()
    count = found["count"]
    details += [summary(f"browser: {name} flow to the contract", found["flow"], "s"),
                summary("floor: the same flow replayed from static copies", found["replay"], "s"),
                summary(f"bare floor: {count} static page loads and clicks", found["bare"], "s")]
    flow_s, floor_s = statistics.median(found["flow"]), statistics.median(found["replay"])
    bare_s = statistics.median(found["bare"])
    details.append(f"{name} flow vs the bare floor of {count} page loads: {flow_s / bare_s:.1f}×")
    details.append(f"{name}: CPU of this process (apps, Playwright client) per run: flow "
                   f"{statistics.median(found['flow_cpu']):.2f} s, replay {statistics.median(found['replay_cpu']):.2f} s")
    paired = statistics.median(found["paired"])
    return {"figure": f"{name} browser flow vs its static floor (same pages and actions replayed)",
            "now": f"{paired:.1f}× (median of {len(found['paired'])} rounds; {flow_s:.2f} s vs {floor_s:.2f} s)",
            "target": "≤ 1.5×"}


def rows() -> list[dict]:
    """The browser-flow figures of issue 15's table (details printed): ``{figure, now, target}``."""
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    details: list[str] = []
    tec3h, pvo2 = Factory(11), Factory(12)  # one each: every run sells new vehicles to new customers
    found = [_measured("Tec3H", ["centralisateur", "icare", "tec3h"], _tec3h_flow,
                       lambda base: _tec3h_data(base, tec3h), runs, details),
             _measured("PVO2", ["centralisateur", "icare", "pvo2"], _pvo2_flow,
                       lambda base: _pvo2_data(base, pvo2), runs, details)]
    for line in details:
        print("  " + line, flush=True)
    return found


def run() -> list[str]:
    return [f"{r['figure']:<62} {r['now']}   (target {r['target']})" for r in rows()]
