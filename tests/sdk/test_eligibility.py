"""Eligibility rules of the SDK (SPEC §3), shared by the centralisateur and Icare."""
from __future__ import annotations

import pytest

from spoticar_handoff import catalogue as reference
from spoticar_handoff import eligibility as rules


@pytest.mark.parametrize("brand", ["PEUGEOT", "peugeot", "Citroën", "CITROEN", "citroen", "Lynk & Co",
                                   "LYNK & CO", "lynk  &  co", "Mercedes-Benz", "Škoda", "land rover",
                                   "MASERATI", "Alfa Roméo"])
def test_admitted_brands_ignore_case_accents_and_blanks(brand):
    assert rules.brand_refusal(brand) is None


@pytest.mark.parametrize("brand", ["VAUXHALL", "Fiat Professional"])
def test_stellantis_brand_absent_from_the_list_is_eligible(brand):
    assert reference.normalize_brand(brand) not in reference.admitted_brands()
    assert rules.brand_refusal(brand) is None


@pytest.mark.parametrize("brand", ["TATA", "Ferrari", "LAMBORGHINI", "", None])
def test_other_brands_are_refused_with_the_brand_named(brand):
    refusal = rules.brand_refusal(brand)
    assert refusal is not None and refusal.rule == "brand" and refusal.field == "vehicle.brand"
    assert "ne fait pas partie des marques admises" in refusal.message
    if brand:
        assert brand in refusal.message


def test_power_limit_is_800_ch_din_inclusive():
    assert rules.power_refusal(800) is None
    assert rules.power_refusal(None) is None
    refusal = rules.power_refusal(801)
    assert refusal.field == "vehicle.din_power"
    assert refusal.message == ("Véhicule non éligible : la puissance de 801 ch DIN dépasse la puissance "
                               "maximale admise de 800 ch DIN.")


@pytest.mark.parametrize("usage,label", sorted(reference.excluded_usages().items()))
def test_each_excluded_usage_is_refused_naming_the_usage(usage, label):
    refusal = rules.usage_refusal(usage)
    assert refusal.rule == "usage" and label in refusal.message


def test_private_usage_is_eligible():
    assert rules.usage_refusal("particulier") is None


def test_ptac_limit_is_3_5_tonnes_inclusive():
    assert rules.ptac_refusal(3500) is None
    refusal = rules.ptac_refusal(3501)
    assert refusal.field == "vehicle.ptac_kg" and "3501 kg" in refusal.message and "3,5 t" in refusal.message


def test_refusals_lists_every_broken_rule():
    found = rules.refusals("TATA", 900, "taxi", 4000)
    assert [r.rule for r in found] == ["brand", "power", "usage", "ptac"]
    assert rules.refusals("PEUGEOT", 100, "particulier", 1500) == []
