"""Rule 1, DMS side: a sold vehicle leaves the DMS's list of vehicles for sale."""
from __future__ import annotations

import pytest

from common.keys import demo_dms_keys
from tests.dms_helpers import signed_callback
from tests.pvo2.conftest import make_pvo2, order, text
from tests.tec3h.conftest import form_values, vehicle_id

KAROQ_ORDER, KAROQ_PLATE = 7414120, "FY-544-EW"  # PVO2 seed: the Karoq's bon de commande


DEMO_KEYS = demo_dms_keys()  # the apps under test run in demo mode

@pytest.fixture
def pvo2(tmp_path):
    app = make_pvo2(tmp_path, {"centralisateur": "http://127.0.0.1:9", "icare": "http://127.0.0.1:9"})
    yield app.test_client()
    app.extensions["harness_stop"]()


@pytest.mark.pvo2
def test_pvo2_sold_vehicle_cannot_be_offered_or_sold_again(pvo2):
    assert KAROQ_PLATE not in text(pvo2.get("/stock/"))
    assert KAROQ_PLATE not in text(pvo2.get("/offres/nouvelle"))
    assert "GA-105-PB" in text(pvo2.get("/stock/"))  # a vehicle without bon de commande is still for sale
    karoq_id = order(pvo2.application, KAROQ_ORDER).vehicle_id
    offer = pvo2.post("/offres/nouvelle", data={
        "civility": "M", "last_name": "Martin", "first_name": "Paul", "address": "2 rue de la Paix",
        "postcode": "75002", "city": "Paris", "phone": "", "email": "", "vehicle_id": str(karoq_id)})
    assert offer.status_code == 422
    assert "Ce véhicule est déjà vendu (bon de commande n°7414120)" in text(offer)


@pytest.mark.tec3h
def test_tec3h_declared_vehicle_leaves_the_stock_list(client, app):
    vid = vehicle_id(app, "DL-342-MP")
    row = f'href="/vehicules/{vid}"'
    assert row in client.get("/stock?q=DL-342-MP").data.decode()
    client.post(f"/vehicules/{vid}/garantie/spoticar",
                data=form_values(client.get(f"/vehicules/{vid}/garantie/spoticar").data.decode()))
    declared = {"bdc_number": "SP953617Z103833712", "status": "declared", "contract_number": "22511015251"}
    assert signed_callback(client, declared, DEMO_KEYS["tec3h"]).status_code == 200
    assert row not in client.get("/stock?q=DL-342-MP").data.decode()
    assert row in client.get("/stock?q=DL-342-MP&etat=Vendu").data.decode()
