"""A select takes only what it offers: form 2/3's « Origine de la vente » offers the list and the origin
the DMS sent, never whatever a POST names (« zz » or markup was declared to Icare as the sale's origin)."""
from __future__ import annotations


import pytest

from tests.centralisateur.support import api_client, open_form, refused_on_form

pytestmark = pytest.mark.centralisateur


@pytest.mark.parametrize("origin", ["zz", "<b>Salon</b>", "Reprise VO sur VOx"])
def test_form_2_3_origin_takes_only_an_offered_value(stack, factory, origin):
    page, _ = refused_on_form(stack, factory.handoff(), origin=origin)
    assert "Le champ origine de la vente a une valeur non proposée" in page


def test_form_2_3_still_offers_the_origin_the_dms_sent(stack, factory):
    handoff = factory.handoff()
    handoff["sale"]["origin"] = "Salon de l'occasion"  # not in the list: the DMS's own wording
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=handoff).json()
        browser, url, values = open_form(stack, receipt["declaration_url"])
        assert values["origin"] == "Salon de l'occasion"
        declared = browser.post(url, data=values)
        assert declared.status_code == 200 and declared.url.path.endswith("/confirmation"), declared.text[:300]
