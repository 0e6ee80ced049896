"""The seeded factories: deterministic, valid by default, refused for each reason on demand."""
from __future__ import annotations

import pytest

from spoticar_handoff.eligibility import refusals
from spoticar_handoff import HandoffIn
from fixtures.factories import Factory


def test_same_seed_same_data_and_other_seed_other_data():
    assert Factory(7).handoff() == Factory(7).handoff()
    assert Factory(7).handoff() != Factory(8).handoff()


@pytest.mark.parametrize("seed", range(25))
def test_default_handoff_is_valid_and_eligible(seed):
    handoff = HandoffIn.model_validate(Factory(seed).handoff())
    v = handoff.vehicle
    assert refusals(v.brand, v.din_power, v.usage, v.ptac_kg) == []


def test_pro_customer_has_company_and_siret():
    customer = Factory(1).customer(pro=True)
    assert customer["company_name"] and len(customer["siret"]) == 14


@pytest.mark.parametrize("reason", ["brand", "power", "usage", "ptac"])
def test_vehicle_for_each_refusal_reason_breaks_exactly_that_rule(reason):
    v = HandoffIn.model_validate(Factory(3).handoff(vehicle=Factory(3).vehicle(refusal=reason))).vehicle
    assert [r.rule for r in refusals(v.brand, v.din_power, v.usage, v.ptac_kg)] == [reason]


def test_overrides_win():
    vehicle = Factory(2).vehicle(brand="MASERATI", din_power=801)
    assert vehicle["brand"] == "MASERATI" and vehicle["din_power"] == 801
