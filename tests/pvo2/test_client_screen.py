"""Client → Modifier on a bon de commande: the état civil, the FOCUS consent and the sale's origin the
Spoticar declaration asks for, stored and sent in the hand-off; an Alfa Romeo Certified vehicle card."""
from __future__ import annotations

import pytest

from spoticar_handoff import HandoffIn
from tests.pvo2.conftest import order, text

pytestmark = pytest.mark.pvo2

KAROQ = 7414120  # seed order, closed and delivered today
CLIENT = {"civility": "M", "last_name": "Dupond", "first_name": "Jean", "address": "Rue Spoticar",
          "postcode": "75010", "city": "PARIS", "phone": "0607080910", "email": "jean.dupond@example.fr",
          "birth_name": "", "birth_date": "17/05/1960", "birth_place": "Tours", "birth_country": "France",
          "nationality": "France", "residence_country": "France", "consent": ["email", "sms"],
          "origin": "Achat marchand"}


def test_the_client_screen_feeds_the_handoff(client, app, fake_centralisateur):
    page = text(client.get(f"/offres/{KAROQ}/client"))
    assert "Date de naissance" in page and "Consentement du client (FOCUS)" in page and "Origine de la vente" in page
    assert client.post(f"/offres/{KAROQ}/client", data=CLIENT).status_code == 302
    assert client.post(f"/livraisons/{KAROQ}/declarer", data={"garantisseur": "spoticar"}).status_code == 303
    sent = HandoffIn.model_validate(fake_centralisateur.received[0]["body"])
    c = sent.customer
    assert (c.birth_date.isoformat(), c.birth_place, c.birth_country, c.nationality) == ("1960-05-17", "Tours",
                                                                                        "France", "France")
    assert sorted(c.consent) == ["email", "sms"] and sent.sale.origin == "Achat marchand"


def test_bad_input_keeps_the_values_and_says_why(client, app):
    answer = client.post(f"/offres/{KAROQ}/client", data={**CLIENT, "birth_date": "31/02/1960",
                                                          "consent": ["pigeon"], "last_name": "<i>X</i>"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'role="alert"' in page and "Date de naissance" in text(answer)
    assert 'value="31/02/1960"' in page and "&lt;i&gt;X&lt;/i&gt;" in page and "<i>X</i>" not in page
    assert order(app, KAROQ).customer.birth_date is None


def test_an_alfa_romeo_certified_card_is_declared_with_its_label(client, app, fake_centralisateur):
    vehicle = order(app, KAROQ).vehicle
    page = text(client.get(f"/stock/{vehicle.id}"))
    assert "ALFA ROMEO CERTIFIED" in page and "Alfa Romeo Certified 24 mois" in page
    saved = client.post(f"/stock/{vehicle.id}", data={"label": "ALFA ROMEO CERTIFIED", "provenance": "Particulier",
                                                      "warranty_level": "Alfa Romeo Certified 24 mois",
                                                      "plate": vehicle.plate, "ptac_kg": str(vehicle.ptac_kg or "")})
    assert saved.status_code == 302
    assert client.post(f"/livraisons/{KAROQ}/declarer", data={"garantisseur": "spoticar"}).status_code == 303
    warranty = fake_centralisateur.received[0]["body"]["warranty"]
    assert (warranty["label"], warranty["product"], warranty["duration_months"]) == (
        "ALFA ROMEO CERTIFIED", "ALFA ROMEO CERTIFIED", 24)


def test_the_vehicle_card_corrects_the_mileage_before_declaring(client, app, fake_centralisateur):
    vehicle = order(app, KAROQ).vehicle
    card = {"label": vehicle.label, "warranty_level": vehicle.warranty_level, "provenance": "Particulier",
            "plate": vehicle.plate, "ptac_kg": str(vehicle.ptac_kg or "")}
    refused = client.post(f"/stock/{vehicle.id}", data={**card, "mileage_km": "douze mille"})
    assert refused.status_code == 422 and "Kilométrage compteur" in text(refused)
    assert 'value="douze mille"' in refused.get_data(as_text=True)
    assert client.post(f"/stock/{vehicle.id}", data={**card, "mileage_km": "12 322"}).status_code == 302
    client.post(f"/livraisons/{KAROQ}/declarer", data={"garantisseur": "spoticar"})
    assert fake_centralisateur.received[0]["body"]["vehicle"]["mileage_km"] == 12322
