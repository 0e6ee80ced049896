"""Nouvelle garantie Spoticar, what certification asks of Tec3H: the sale's origin, the nationality and
the country of birth completed on the form and sent; every label's levels (DS Certified, Alfa Romeo
Certified); a warranty sent but not declared yet can be sent again or corrected."""
from __future__ import annotations

import pytest

from tests.dms_helpers import csrf_token, text
from tests.tec3h.conftest import warranty_form

pytestmark = pytest.mark.tec3h


def test_origin_nationality_and_label_are_sent(client, vid, centralisateur):
    form = {**warranty_form(client, vid), "origine_vente": "Achat marchand", "nationalite": "France",
            "pays_naissance": "Belgique", "niveau": "DS Certified 12 mois"}
    assert client.post(f"/vehicules/{vid}/garantie/spoticar", data=form).status_code == 302
    [body] = centralisateur.handoffs
    assert body["sale"]["origin"] == "Achat marchand"
    assert (body["customer"]["nationality"], body["customer"]["birth_country"]) == ("France", "Belgique")
    assert (body["warranty"]["label"], body["warranty"]["product"]) == ("DS CERTIFIED", "DS CERTIFIED")


def test_a_pending_warranty_is_sent_again_or_corrected(client, vid, centralisateur):
    form = warranty_form(client, vid)
    client.post(f"/vehicules/{vid}/garantie/spoticar", data=form)
    tab = client.get(f"/vehicules/{vid}/garantie")
    assert "Renvoyer au centralisateur" in text(tab) and "Modifier les informations" in text(tab)
    warranty_id = tab.data.decode().split("/garanties/")[1].split("/")[0]
    again = client.post(f"/garanties/{warranty_id}/renvoyer", data={"csrf_token": csrf_token(tab.data.decode())})
    assert again.status_code == 302 and len(centralisateur.handoffs) == 2
    assert centralisateur.handoffs[0] == centralisateur.handoffs[1]   # same order, same body
    reopened = warranty_form(client, vid)
    assert reopened["km"] == form["km"]
    corrected = client.post(f"/vehicules/{vid}/garantie/spoticar", data={**reopened, "km": "12322"})
    assert corrected.status_code == 302 and len(centralisateur.handoffs) == 3
    last = centralisateur.handoffs[-1]
    assert last["vehicle"]["mileage_km"] == 12322 and last["dms_order_ref"] == centralisateur.handoffs[0]["dms_order_ref"]
