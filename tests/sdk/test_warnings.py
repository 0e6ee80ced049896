"""Hand-off warnings: what form 2/3 will ask the dealer to correct, named by the form's labels."""
from __future__ import annotations

import pytest

import centralisateur.form
from fixtures.factories import Factory
from spoticar_handoff import HandoffIn
from spoticar_handoff.form_fields import FIELDS
from spoticar_handoff.warnings import handoff_warnings


def test_the_sdk_table_is_the_centralisateur_form():
    assert [(f.name, f.label, f.required, f.source) for f in FIELDS] == \
        [(f.name, f.label, f.required, f.source) for f in centralisateur.form.FIELDS]
    formatted = {f.name for f in centralisateur.form.FIELDS
                 if getattr(centralisateur.form.DeclarationForm, f.name).field_class.__name__
                 in ("EmailField", "PhoneField", "PostcodeField", "PlateField", "VinField")}
    assert {f.name for f in FIELDS if f.check} == formatted


@pytest.mark.parametrize("seed", range(5))
def test_a_complete_handoff_has_no_warning(seed):
    assert handoff_warnings(HandoffIn.model_validate(Factory(seed).handoff())) == []


def test_malformed_correctable_values_are_kept_as_sent():
    payload = Factory(1).handoff()
    payload["vehicle"].update(plate="CC333C1", vin="VF3 123")
    payload["customer"]["phone"] = "01 02"
    handoff = HandoffIn.model_validate(payload)
    assert (handoff.vehicle.plate, handoff.vehicle.vin, handoff.customer.phone) == ("CC333C1", "VF3 123", "01 02")
    assert [w.field for w in handoff_warnings(handoff)] == ["customer.phone", "vehicle.plate", "vehicle.vin"]


def test_well_formed_values_are_still_normalised():
    payload = Factory(1).handoff()
    payload["vehicle"]["plate"] = "ab 123 cd"
    assert HandoffIn.model_validate(payload).vehicle.plate == "AB-123-CD"


def test_each_required_field_missing_is_named_by_its_form_label():
    payload = Factory(2).handoff()
    del payload["vehicle"]["vin"]
    payload["customer"]["postcode"] = None
    payload["warranty"] = None
    warnings = {w.field: w.message for w in handoff_warnings(payload)}
    assert set(warnings) == {"vehicle.vin", "customer.postcode", "warranty.product", "warranty.duration_months",
                             "warranty.start_date"}
    assert warnings["vehicle.vin"].startswith("« VIN* » : champ absent, obligatoire pour déclarer. À compléter")
    assert warnings["warranty.product"].startswith("« Garantie* »")


def test_contradictory_dates_are_warnings_on_the_date_the_form_flags():
    payload = Factory(3).handoff()
    payload["sale"].update(delivery_date="2020-01-01")
    payload["vehicle"]["first_registration"] = "2021-06-01"
    payload["customer"]["birth_date"] = "2099-01-01"
    warnings = {w.field: w.message for w in handoff_warnings(HandoffIn.model_validate(payload))}
    assert warnings["vehicle.first_registration"].startswith("« Date première immat.* » : La date de première")
    assert warnings["customer.birth_date"].startswith("« Date de Naissance* » : La date de naissance doit être")
