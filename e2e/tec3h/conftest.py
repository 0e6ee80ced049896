"""Helpers of the Tec3H browser suite: a stock vehicle with its Commande, made from factories through
Tec3H's test routes (as a dealer's earlier work)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page

from e2e.pages.centralisateur import ChooseGarantiePage, DeclarationFormPage
from harness.testing import create


@pytest.fixture
def tec3h_url(stack) -> str:
    return stack.url("tec3h")


def sell_vehicle(stack, factory) -> dict:
    """A new stock vehicle (Peugeot 308 SW) with a customer and a Commande; its plate and ids."""
    person, plate, vin = factory.customer(), factory.plate(), factory.vin("PEUGEOT")
    sale = create(stack, "tec3h", "/sales", {"plate": plate, "vin": vin, "customer": person,
                                             "reference": f"E{factory.rng.randint(10**6, 10**7 - 1)}"})
    return {**sale, "plate": plate, "vin": vin, "customer": person}


@pytest.fixture
def sold_vehicle(stack, factory) -> dict:
    """A new stock vehicle (Peugeot 308 SW) with a customer and a Commande; its plate and ids."""
    return sell_vehicle(stack, factory)


def complete_declaration(window: Page) -> DeclarationFormPage:
    """On the centralisateur, for a Tec3H sale: 1/3 Page Suivante, then fill in 2/3 what Tec3H does
    not send (Origine de la vente, Nationalité, the constructor warranty's end)."""
    ChooseGarantiePage(window).choose()
    form = DeclarationFormPage(window)
    form.select("Origine de la vente*", "Reprise VO sur VO")
    form.fill(**{"Nationalité*": "France", "Date fin gtie constructeur*": "10/10/2020",
                 "Km gtie constructeur*": "999999"})
    return form
