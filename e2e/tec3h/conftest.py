"""Helpers of the Tec3H browser suite: a stock vehicle with its Commande, made from factories through
Tec3H's test routes (as a dealer's earlier work)."""
from __future__ import annotations

import pytest

from harness.testing import create


@pytest.fixture
def tec3h_url(stack) -> str:
    return stack.url("tec3h")


@pytest.fixture
def sold_vehicle(stack, factory) -> dict:
    """A new stock vehicle (Peugeot 308 SW) with a customer and a Commande; its plate and ids."""
    person, plate, vin = factory.customer(), factory.plate(), factory.vin("PEUGEOT")
    sale = create(stack, "tec3h", "/sales", {"plate": plate, "vin": vin, "customer": person,
                                             "reference": f"E{factory.rng.randint(10**6, 10**7 - 1)}"})
    return {**sale, "plate": plate, "vin": vin, "customer": person}
