"""Hostile values in the PVO2 forms: a French "Libellé : message" line and a 422, the typed value
shown again, nothing saved; never a 500 (issue 13, defect 2)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from simulators.pvo2.store import Customer, Order
from tests.pvo2.conftest import site, text
from tests.pvo2.test_screens import SITE_FORM

pytestmark = pytest.mark.pvo2


@pytest.mark.parametrize("name,value,message", [
    ("capital", "²", "Capital : Le capital doit être un nombre entier."),
    ("capital", "9" * 80, "Capital : Au plus 12 caractères."),
    ("siret", "٣" * 14, "SIRET : Le SIRET doit comporter 14 chiffres."),
    ("postcode", "７５００１", "Code postal : Le code postal doit comporter 5 chiffres."),
    ("rrdi", "fr1035²", "Code RRDI : Le code RRDI doit comporter 7 caractères (ex. FR10350)."),
])
def test_site_identity(client, app, name, value, message):
    response = client.post("/parametres/site", data={**SITE_FORM, name: value})
    assert response.status_code == 422
    page = text(response)
    assert message in page and f'value="{value.upper() if name == "rrdi" else value}"' in page
    assert site(app).siret == "00000000000018"


def _count(app, model) -> int:
    with app.extensions["db"].transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("name,value,message", [
    ("vehicle_id", "²", "Véhicule : choisissez un véhicule du stock."),
    ("vehicle_id", "9" * 80, "Véhicule : choisissez un véhicule du stock."),
    ("postcode", "٧٥٠٠١", "Code postal : Le code postal doit comporter 5 chiffres."),
    ("phone", "٠٦١٢٣٤٥٦٧٨", "Téléphone : Le numéro de téléphone doit comporter 10 chiffres"),
    ("civility", "X", "Civilité : Valeur non autorisée."),
])
def test_create_offer(client, app, name, value, message):
    before = _count(app, Customer), _count(app, Order)
    data = {"civility": "M", "last_name": "Martin", "first_name": "Jean", "address": "1 rue", "postcode": "75001",
            "city": "Paris", "vehicle_id": "1", name: value}
    response = client.post("/offres/nouvelle", data=data)
    assert response.status_code == 422 and message in text(response)
    assert (_count(app, Customer), _count(app, Order)) == before


@pytest.mark.parametrize("data,message", [
    ({"delivery_date": "³¹/12/2025"}, "Livraison prévue le : date obligatoire au format JJ/MM/AAAA."),
    ({"delivery_date": "01/01/0001"}, "Livraison prévue le : date invalide (format JJ/MM/AAAA, année entre 1900"),
    ({"delivery_date": "9" * 80}, "Livraison prévue le : date obligatoire au format JJ/MM/AAAA."),
    ({"delivery_date": "", "delivery_time": "10:00"}, "Livraison prévue le : date obligatoire au format JJ/MM/AAAA."),
    ({"delivery_date": "30/11/2025", "delivery_time": "²5:00"}, "Heure : format HH:MM attendu."),
])
def test_delivery_date(client, app, data, message):
    with app.extensions["db"].transaction() as session:
        number = session.scalar(select(Order.number).where(Order.state == "bdc").order_by(Order.number))
        before = session.scalar(select(Order.delivery_date).where(Order.number == number))
    response = client.post(f"/livraisons/{number}/livraison", data=data)
    assert response.status_code == 422 and message in text(response)
    assert f'value="{data["delivery_date"]}"' in text(response)
    with app.extensions["db"].transaction() as session:
        assert session.scalar(select(Order.delivery_date).where(Order.number == number)) == before
