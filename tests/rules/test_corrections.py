"""Rule 2, screen side: values a DMS sent malformed are shown on form 2/3 flagged for correction."""
from __future__ import annotations

import pytest

from centralisateur import form
from common.web import make_app

pytestmark = pytest.mark.centralisateur


def _flags(payload: dict, data_dir) -> tuple[dict, set]:
    # form 2/3 built in a request context of a bare app: no app under test is reached into
    with make_app(__name__, {"TESTING": True, "DATA_DIR": str(data_dir)}).test_request_context("/", method="GET"):
        built = form.build("SPOTICAR", payload)
        found = dict(form.flag_corrections(built))
        return found, built.invalid, built.plate._value()


def test_malformed_prefilled_values_are_flagged_with_their_form_label(factory, tmp_path):
    payload = factory.handoff()
    payload["vehicle"].update(plate="CC333C1", vin="VF1BR1GOH41002888")
    payload["customer"].update(postcode="7501", mobile="06 12")
    found, invalid, plate = _flags(payload, tmp_path)
    assert plate == "CC333C1"  # shown as the DMS sent it
    assert set(found) == invalid == {"plate", "vin", "postcode", "mobile"}
    assert found["plate"].startswith("Immatriculation* : ")
    assert found["postcode"].startswith("Code Postal* : ")


def test_well_formed_prefill_needs_no_correction(factory, tmp_path):
    found, invalid, _ = _flags(factory.handoff(), tmp_path)
    assert found == {} and invalid == set()
