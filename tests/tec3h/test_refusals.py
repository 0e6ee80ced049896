"""Each eligibility refusal of the real centralisateur, shown on Tec3H's Garantie Spoticar form: the
message, the field marked, the typed value kept, and the corrected form sent. Over HTTP, through the
stack (or the apps given by ``--tec3h-url`` / ``--centralisateur-url``)."""
from __future__ import annotations

import httpx
import pytest

from harness.testing import create
from tests.dms_helpers import read_form, text
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.tec3h


def _sold_vehicle(stack, factory) -> dict:
    sale = {"plate": factory.plate(), "vin": factory.vin("PEUGEOT"), "customer": factory.customer(),
            "reference": f"E{factory.rng.randint(10**6, 10**7 - 1)}"}
    return create(stack, "tec3h", "/sales", sale)


class _Page:
    """``httpx`` with the text a user reads (``text``) next to the raw page."""

    def __init__(self, response: httpx.Response):
        self.response, self.html = response, response.text
        self.text = text(response)


@pytest.mark.parametrize("field, value, message", [
    ("marque", "TATA", "Véhicule non éligible : la marque TATA ne fait pas partie des marques admises"),
    ("puissance_din", "801", "Véhicule non éligible : la puissance de 801 ch DIN dépasse la puissance maximale"),
    ("usage", "taxi", "Véhicule non éligible : les véhicules utilisés, même temporairement, comme taxi"),
])
def test_each_refusal_is_shown_on_the_form_and_can_be_corrected(stack, factory, field, value, message):
    sold = _sold_vehicle(stack, factory)
    form_url = f"/vehicules/{sold['vehicle_id']}/garantie/spoticar"
    with httpx.Client(verify=tls_context(), base_url=stack.url("tec3h"), timeout=30, follow_redirects=True) as browser:
        values, _ = read_form(browser.get(form_url).text)
        original = values[field]
        refused = _Page(browser.post(form_url, data={**values, field: value}))
        assert refused.response.status_code == 422
        assert "Déclaration refusée par le centralisateur" in refused.text and message in refused.text
        kept, invalid = read_form(refused.html)
        assert field in invalid and kept[field] == value and kept["immatriculation"] == values["immatriculation"]
        sent = _Page(browser.post(form_url, data={**kept, field: original}))
        assert sent.response.status_code == 200 and str(sent.response.url).endswith(
            f"/vehicules/{sold['vehicle_id']}/garantie")
        assert "Transmise : déclaration à finaliser sur le centralisateur" in sent.text
