"""Helpers of the PVO2 browser suite: an offer taken to a bon de commande, the centralisateur steps."""
from __future__ import annotations

import datetime as dt
import html
import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from e2e.pages.centralisateur import ChooseGarantiePage, DeclarationFormPage
from e2e.pages.pvo2 import NewOfferPage, OfferPage, OffersPage, OrderPage
from harness.testing import create


def today_fr() -> str:
    return dt.date.today().strftime("%d/%m/%Y")


@pytest.fixture
def pvo2_url(stack) -> str:
    return stack.url("pvo2")


_HANDED_OUT: set[str] = set()
ROW = re.compile(r"<tr><td>([^<]*)</td><td>([^<]+)</td>\s*<td><a [^>]*>([^<]+)</a></td>\s*<td>([^<]*)</td>")
GENERATED = "ST3560"  # the generated stock (simulators/pvo2/demo.py): the seed's own vehicles stay for their tests


@pytest.fixture
def stock_vehicle(stack, factory):
    """``stock_vehicle(**attrs)``: a vehicle for sale the test puts in PVO2's stock (test routes;
    ``label``, ``warranty_level``, ``provenance``, ``price_ttc``… override the factory's), its record
    (plate, vin, stock_number…). A vehicle is sold once: a test that sells one makes its own, so the
    suite passes again on a stack that keeps what earlier runs sold."""
    def make(**attrs) -> dict:
        return create(stack, "pvo2", "/vehicles", {"seed": factory.rng.randint(1, 10**9), **attrs})
    return make


def vehicle_for_sale(pvo2_url: str, brand: str = "PEUGEOT", label: str = "SPOTICAR") -> str:
    """The plate of a ``brand`` vehicle with ``label`` in PVO2's generated stock of vehicles for sale,
    never handed out before in this process: for a stack without test routes (``bench.flows``); the
    tests make theirs with ``stock_vehicle``."""
    page = httpx.get(pvo2_url + "/stock/", timeout=20).text
    for stock_number, plate, title, row_label in ROW.findall(page):
        plate = html.unescape(plate)
        if stock_number.startswith(GENERATED) and title.upper().startswith(brand) and row_label == label \
                and plate not in _HANDED_OUT:
            _HANDED_OUT.add(plate)
            return plate
    raise LookupError(f"aucun véhicule {brand} {label} à vendre dans le stock PVO2")


def enter_order(page: Page, pvo2_url: str, customer: dict, plate: str, close: bool = True):
    """An offer for ``customer`` on the vehicle ``plate``, its bon de commande generated, its delivery
    date set to today (and closed); returns (order page, order number)."""
    OffersPage(page, pvo2_url).open().create_offer()
    NewOfferPage(page, pvo2_url).create(customer, plate)
    offer = OfferPage(page, pvo2_url)
    expect(offer.heading).to_be_visible()
    number = offer.number()
    offer.generate_bdc()
    order = OrderPage(page, pvo2_url)
    expect(order.heading).to_have_text(f"Commande N° {number}")
    order.set_delivery(today_fr())
    if close:
        order.close()
        expect(order.closed).to_be_visible()
    return order, number


@pytest.fixture
def new_order(page: Page, pvo2_url: str, factory):
    """``new_order(plate)``: an offer for a fresh customer, its bon de commande generated and its
    delivery date set to today; returns (order page, customer dict, order number)."""
    def make(plate: str, close: bool = True):
        customer = factory.customer()
        order, number = enter_order(page, pvo2_url, customer, plate, close)
        return order, customer, number
    return make


@pytest.fixture
def own_pvo2(stack, tmp_path, pytestconfig):
    """A PVO2 of the test's own (its own data directory, the demo data, wired to the suite's other
    apps), for a test that changes what a whole PVO2 instance shares — its site's Code RRDI — so the
    suite's PVO2 stays as seeded for the tests running beside it. Its data is a SQLite file of its own
    even when DATABASE_URL names a server database: there it would share the suite's PVO2 tables."""
    from conftest import start_test_stack
    others = {name: stack.url(name) for name in [*stack.apps, *stack.external_urls] if name != "pvo2"}
    running = start_test_stack(tmp_path / "own_pvo2", others, pytestconfig.option.advertise_host,
                               stack.credentials, config={"pvo2": {"DATABASE_URL": ""}})
    yield running
    running.stop()


def complete_declaration(popup: Page, customer: dict) -> DeclarationFormPage:
    """On the centralisateur: 1/3 Page Suivante, then fill in 2/3 what PVO2 does not know."""
    ChooseGarantiePage(popup).choose()
    form = DeclarationFormPage(popup)
    form.select("Origine de la vente*", "Reprise VO sur VO")
    form.tick_consent("SMS")
    birth = dt.date.fromisoformat(customer["birth_date"]).strftime("%d/%m/%Y")
    form.fill(**{"Date de Naissance*": birth, "Lieu de Naissance*": customer["birth_place"],
                 "Nationalité*": "France", "Pays de Naissance*": "France"})
    return form


def reload_until_visible(page: Page, locator, attempts: int = 10) -> None:
    """Reload until ``locator`` shows: for state another system pushes asynchronously (a callback)."""
    for _ in range(attempts - 1):
        try:
            expect(locator).to_be_visible(timeout=1000)
            return
        except AssertionError:
            page.reload()
    expect(locator).to_be_visible(timeout=1000)
