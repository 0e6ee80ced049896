"""The full PVO2 browser flow (offer → bon de commande → Clôturer → Déclarer → centralisateur 1/3,
2/3, 3/3 → contract number back on the PVO2 order), repeated in one browser, against a floor: the
same count of page loads and clicks on static local pages. Reports median, p90 and the ratio."""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import statistics
import tempfile
import threading
from pathlib import Path

from bench.stats import summary, timed
from fixtures.factories import Factory
from harness.runner import Stack

RUNS = 8


def _pvo2_flow(page, pvo2_url: str, factory: Factory) -> None:
    from e2e.pages.pvo2 import NewOfferPage, OfferPage, OffersPage, OrderPage
    from e2e.pvo2.conftest import complete_declaration, vehicle_for_sale
    customer = factory.customer()
    OffersPage(page, pvo2_url).open().create_offer()
    NewOfferPage(page, pvo2_url).create(customer, vehicle_for_sale(pvo2_url))  # a vehicle is sold once
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
    page.reload()
    order.contract_number.wait_for()


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


def run(runs: int = RUNS) -> list[str]:
    from playwright.sync_api import sync_playwright

    from harness.browser import LAUNCH_ARGS, find_browser
    factory = Factory(11)
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp) / "stack", names=["centralisateur", "icare", "pvo2"],
                      extra_config={"centralisateur": {"DEMO_PROFILES_CONFIGURED": True}}).start()
        stack.wait_ready()
        root = Path(tmp) / "static"
        root.mkdir()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)
                context = browser.new_context(locale="fr-FR")
                page = context.new_page()
                loads = []
                context.on("page", lambda new: new.on("load", lambda _: loads.append(1)))
                page.on("load", lambda _: loads.append(1))
                _pvo2_flow(page, stack.url("pvo2"), factory)  # warm-up, and the count of loads
                count = len(loads)
                samples = timed(lambda: _pvo2_flow(page, stack.url("pvo2"), factory), runs)

                _static_site(root, count)
                server = _static_server(root)
                base = f"http://127.0.0.1:{server.server_address[1]}"

                def floor():
                    page.goto(f"{base}/p0.html")
                    for n in range(1, count):
                        page.get_by_role("link", name="Suivant").click()
                        page.get_by_role("heading", name=f"Page {n}", exact=True).wait_for()

                floor()
                floor_samples = timed(floor, runs)
                server.shutdown()
                browser.close()
        finally:
            stack.stop()
    ratio = statistics.median(samples) / statistics.median(floor_samples)
    return [summary("browser: PVO2 offer → contract on the order", samples, "s"),
            summary(f"floor: {count} static page loads and clicks", floor_samples, "s"),
            f"{'ratio of medians (flow / floor)':<46} {ratio:8.1f} x"]


if __name__ == "__main__":
    for line in run():
        print(line)
