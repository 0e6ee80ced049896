"""Support for the DMS browser suites: the two confirmations of 3/3 after a DMS hand-off."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.pages.bee2link import VehicleCardPage
from e2e.pages.centralisateur import ChooseGarantiePage, ConfirmationPage, DeclarationFormPage
from harness.testing import create


def expect_both_confirmations(page: Page, rrdi: str) -> str:
    """Check the 3/3 page shows both confirmation messages of seed 000; the contract number shown."""
    confirmation = ConfirmationPage(page)
    expect(confirmation.success).to_contain_text("Votre demande a été effectuée avec succès (numéro de bon de "
                                                 f"commande : N° SP{rrdi}")
    expect(confirmation.contract).to_contain_text(re.compile(
        r"\[Garantie SPOTICAR Stellantis\] La création a bien été effectuée \(numéro de contrat : \d{11}\)"))
    return re.search(r"\d{11}", confirmation.contract.inner_text()).group(0)


def declare_new_bee2link_order(page: Page, stack, factory, rrdi: str = "020319L") -> tuple[dict, Page, VehicleCardPage]:
    """A fresh Bee2link order of site ``rrdi`` (test route), declared from its delivery page through
    1/3 (pre-selected by the hand-off) and 2/3: (the order, the centralisateur's window, the card)."""
    order = create(stack, "bee2link", "/orders", {"rrdi": rrdi, "seed": factory.rng.randint(1, 10**6)})
    card = VehicleCardPage(page, stack.url("bee2link")).open(order["vehicle"]["id"])
    cds = card.declare_from_delivery_page()
    ChooseGarantiePage(cds).next.click()
    DeclarationFormPage(cds).declare()
    return order, cds, card
