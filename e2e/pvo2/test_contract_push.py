"""PVO2's order page follows the declaration it opened in another window: the contract number shows
on it as soon as the centralisateur's callback lands, without reloading — pushed by server-sent
events, or polled when the browser has no EventSource (the shared declaration_follow.js)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.centralisateur import ConfirmationPage
from e2e.pvo2.conftest import complete_declaration

pytestmark = pytest.mark.pvo2


def _declared_while_watching(page: Page, order, customer) -> tuple[str, list[str]]:
    """Déclarer, complete the declaration in its window and close it; the contract number, and the
    list the order page's navigations go to from then on (none expected: the number comes by itself)."""
    popup = order.declare()
    complete_declaration(popup, customer).declare()
    confirmation = ConfirmationPage(popup)
    expect(confirmation.contract).to_contain_text("La création a bien été effectuée")
    contract = re.search(r"[0-9]{11}", confirmation.contract.inner_text()).group(0)
    popup.close()
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    return contract, navigations


@pytest.mark.parametrize("event_source, following", [(True, "true"), (False, "poll")], ids=["pushed", "polled"])
def test_the_contract_number_reaches_the_order_without_reloading(page: Page, pvo2_url, new_order, stock_vehicle,
                                                                 event_source, following):
    if not event_source:
        page.add_init_script("delete window.EventSource")  # a browser without server-sent events: it polls
    order, customer, _number = new_order(stock_vehicle()["plate"])
    contract, navigations = _declared_while_watching(page, order, customer)
    expect(order.contract_number).to_have_text(f"Numéro de contrat : {contract}", timeout=30_000)
    expect(order.declaration_status).to_contain_text("Garantie déclarée")
    expect(order.declare_button).to_be_hidden()
    assert navigations == []  # pushed or polled, never reloaded
    expect(page.locator("#declaration-state")).to_have_attribute("data-following", following)
