"""The referential data and the autocomplete's narrowing rules (pure functions)."""
from __future__ import annotations

import datetime as dt

import pytest

from fixtures import reference
from simulators.tec3h import referential

pytestmark = pytest.mark.tec3h
MEC_2018 = dt.date(2018, 10, 10)


def test_130_allure_narrows_to_versions_with_both_words_in_any_order():
    everything = referential.versions("Peugeot", "308 (2)", MEC_2018)
    narrowed = referential.versions("Peugeot", "308 (2)", MEC_2018, "130 allure")
    assert 0 < len(narrowed) < len(everything)
    assert all("130" in v.label and "allure" in v.label.lower() for v in narrowed)
    assert [v.id for v in referential.versions("Peugeot", "308 (2)", MEC_2018, "ALLURE 130")] == \
        [v.id for v in narrowed]
    assert "1.5 BlueHDi 130 S&S EAT8 Allure" in [v.label for v in narrowed]


def test_only_versions_valid_at_the_mise_en_circulation_are_offered():
    labels_2018 = [v.label for v in referential.versions("Peugeot", "308 (2)", MEC_2018)]
    assert "1.6 e-HDi 115 Allure" not in labels_2018  # built 2013-2015
    labels_2014 = [v.label for v in referential.versions("Peugeot", "308 (2)", dt.date(2014, 11, 10))]
    assert "1.6 e-HDi 115 Allure" in labels_2014
    assert "1.5 BlueHDi 130 S&S EAT8 Allure" not in labels_2014


def test_narrowing_ignores_accents_and_case_and_matches_power_and_energy():
    [feline] = referential.versions("Peugeot", "308 SW (2)", dt.date(2014, 11, 10), "feline")
    assert feline.label == "1.6 e-HDi 115 Féline" and feline.equivalence
    diesel = referential.versions("Peugeot", "308 (2)", MEC_2018, "diesel 180")
    assert [v.label for v in diesel] == ["2.0 BlueHDi 180 S&S EAT8 GT"]
    assert referential.versions("Peugeot", "308 (2)", MEC_2018, "130 allure zzz") == []


def test_energy_filter_and_unknown_model_give_nothing_wrong():
    assert all(v.energy == "Essence" for v in referential.versions("Peugeot", "308 (2)", MEC_2018,
                                                                    energy="Essence"))
    assert referential.versions("Peugeot", "Inconnu", MEC_2018) == []
    assert referential.models("Peugeot", MEC_2018, "30") == ["308 (2)", "308 SW (2)", "3008 (2)"]
    assert referential.find_make("CITROEN") == "Citroën" and referential.find_make("TATA") is None


def test_referential_covers_the_demo_stock_with_realistic_data():
    stock_makes = {referential.version(v["version_id"]).make
                   for v in reference.load("tec3h_stock")["vehicles"]}
    assert stock_makes <= set(referential.makes())
    assert len(referential.makes()) >= 8
    for make in referential.makes():
        assert len(referential.models(make)) >= 2, make
    admitted = reference.admitted_brands()
    for v in referential.all_versions():
        assert referential.fold(v.make).upper() in admitted
        assert v.din_power > 0 and v.kw_power > 0 and v.fiscal_power > 0 and v.energy in referential.ENERGIES
        assert v.valid_from <= (v.valid_to or "9999") and v.equivalence
    ids = [v.equivalence for v in referential.all_versions()]
    assert len(ids) == len(set(ids))
