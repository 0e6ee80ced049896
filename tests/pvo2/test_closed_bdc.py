"""Rule 3: PVO2 declares a closed BDC — Déclarer only once clôturé, with its delivery date sent."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.pvo2.conftest import order, text

pytestmark = pytest.mark.pvo2

NOT_CLOSED = "La déclaration de garantie se fait sur un BDC clôturé"


def _new_bdc(client) -> int:
    vehicle_id = int(re.search(r'href="/stock/([0-9]+)"', text(client.get("/stock/"))).group(1))
    client.post("/offres/nouvelle", data={
        "civility": "MME", "last_name": "Durand", "first_name": "Claire", "address": "3 rue Nationale",
        "postcode": "37000", "city": "Tours", "phone": "0611223344", "email": "", "vehicle_id": vehicle_id})
    offers = text(client.get("/offres/"))
    number = int(re.search(r'aria-label="Offre n°([0-9]+)"', offers).group(1))
    assert client.post(f"/offres/{number}/bon-de-commande").status_code == 302
    return number


def test_declarer_is_offered_only_once_the_bdc_is_closed_and_sends_its_delivery_date(
        client, app, fake_centralisateur):
    number = _new_bdc(client)
    page = text(client.get(f"/livraisons/{number}"))
    assert NOT_CLOSED in page and ">Déclarer</button>" not in page
    refused = client.post(f"/livraisons/{number}/declarer", data={"garantisseur": "spoticar"})
    assert refused.status_code == 409 and NOT_CLOSED in text(refused)
    assert fake_centralisateur.received == []
    delivery = dt.date.today() + dt.timedelta(days=2)
    client.post(f"/livraisons/{number}/livraison", data={"delivery_date": delivery.strftime("%d/%m/%Y")})
    assert client.post(f"/livraisons/{number}/cloturer").status_code == 302
    page = text(client.get(f"/livraisons/{number}"))
    assert "BDC clôturé le" in page and ">Déclarer</button>" in page and NOT_CLOSED not in page
    assert client.post(f"/livraisons/{number}/declarer", data={"garantisseur": "spoticar"}).status_code == 303
    sale = fake_centralisateur.received[0]["body"]["sale"]
    assert sale["delivery_date"] == delivery.isoformat()
    assert order(app, number).state == "cloture"
