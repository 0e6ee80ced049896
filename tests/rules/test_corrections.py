"""Rule 2, screen side: values a DMS sent malformed are shown on form 2/3 flagged for correction."""
from __future__ import annotations

import pytest

from centralisateur import form

pytestmark = pytest.mark.centralisateur


def test_malformed_prefilled_values_are_flagged_with_their_form_label(factory):
    payload = factory.handoff()
    payload["vehicle"].update(plate="CC333C1", vin="VF1BR1GOH41002888", first_registration="2021-13-45")
    payload["customer"].update(postcode="7501", mobile="06 12")
    values = form.prefill(payload)
    assert values["plate"] == "CC333C1" and values["first_registration"] == "2021-13-45"  # shown as sent
    found = dict(form.corrections(values, "SPOTICAR"))
    assert set(found) == {"plate", "vin", "first_registration", "postcode", "mobile"}
    assert found["plate"].startswith("Immatriculation* : L'immatriculation doit être au format SIV")
    assert found["postcode"].startswith("Code Postal* :")


def test_well_formed_prefill_needs_no_correction(factory):
    assert form.corrections(form.prefill(factory.handoff()), "SPOTICAR") == []
