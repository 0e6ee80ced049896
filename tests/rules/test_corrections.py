"""Rule 2, screen side: values a DMS sent malformed are shown on form 2/3 flagged for correction."""
from __future__ import annotations

import pytest

from centralisateur import form

pytestmark = pytest.mark.centralisateur


def _flags(stack, payload: dict) -> tuple[dict, set]:
    with stack.app("centralisateur").test_request_context("/", method="GET"):
        built = form.build("SPOTICAR", payload)
        found = dict(form.flag_corrections(built))
        return found, built.invalid, built.plate._value()


def test_malformed_prefilled_values_are_flagged_with_their_form_label(stack, factory):
    payload = factory.handoff()
    payload["vehicle"].update(plate="CC333C1", vin="VF1BR1GOH41002888")
    payload["customer"].update(postcode="7501", mobile="06 12")
    found, invalid, plate = _flags(stack, payload)
    assert plate == "CC333C1"  # shown as the DMS sent it
    assert set(found) == invalid == {"plate", "vin", "postcode", "mobile"}
    assert found["plate"].startswith("Immatriculation* : ")
    assert found["postcode"].startswith("Code Postal* : ")


def test_well_formed_prefill_needs_no_correction(stack, factory):
    found, invalid, _ = _flags(stack, factory.handoff())
    assert found == {} and invalid == set()
