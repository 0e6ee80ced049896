"""The Tec3H order's seed buttons in a browser (seed 001): Réserver (what was typed is kept) and
Ajouter (an article line saved with the order, in its total)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.tec3h import OrderPage, SalesPage

pytestmark = pytest.mark.tec3h


def test_reserver_then_ajouter_an_article(page: Page, tec3h_url, sold_vehicle):
    SalesPage(page, tec3h_url).open().modify(sold_vehicle["number"])
    order = OrderPage(page)
    expect(order.heading).to_have_text(f"COMMANDE N° {sold_vehicle['number']}")
    order.price.fill("16 500")
    order.reserve()
    expect(order.messages).to_have_text("Véhicule réservé.")
    expect(order.content.get_by_text("Réservé", exact=True)).to_be_visible()
    expect(order.price).to_have_value("16 500")  # typed, not saved yet: kept
    order.add_article("Tapis de sol", "TAP01", "abc")
    expect(order.errors).to_contain_text("PU TTC")
    order.add_article("Tapis de sol", "TAP01", "89,90")
    expect(order.messages.filter(has_text="Article")).to_have_text("Article « Tapis de sol » ajouté.")
    expect(order.content.get_by_role("row", name="Tapis de sol")).to_contain_text("89,90 €")
    expect(order.total).to_contain_text("16 633,66 €")  # 16 500 + 43,76 of fixed lines + 89,90
