"""Hostile values in the portal's forms: Unicode digits and over-long codes get the portal's French
message and a 4xx, the typed value is shown again, nothing is stored or mailed (issue 13, defect 2)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from simulators.portail_b2b.store import Presentation
from tests.portail_b2b.helpers import text

pytestmark = pytest.mark.portail_b2b


def _count(app, model) -> int:
    with app.app_context():
        return app.extensions["db"].session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("name,value,message", [
    ("siret", "١٢٣٤٥٦٧٨٩٠١٢٣٤", "Le SIRET comporte 14 chiffres."),
    ("contact_phone", "٠٦١٢٣٤٥٦٧٨", "Le champ « Téléphone du contact » doit être un numéro de téléphone."),
    ("contact_email", "nom@societe", "Le champ « Adresse mail du contact » doit être une adresse mail valide"),
    ("cofor", "9" * 80, "Le champ « COFOR » ne doit pas dépasser 12 caractères."),
    ("activity", "²", "Choisissez une valeur de la liste pour « Domaine d'activité »."),
])
def test_presentation(client, app, person, mails, name, value, message):
    data = {"name": person["company"], "siret": person["siret"], "address": "1 rue de la Paix",
            "postcode": "75002", "city": "Paris", "country": "France", "activity": "Garage",
            "contact_last_name": person["last_name"], "contact_first_name": person["first_name"],
            "contact_email": person["email"], "contact_phone": person["phone"], name: value}
    response = client.post("/presentation", data=data)
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert f'value="{value}"' in page or name == "activity"
    assert _count(app, Presentation) == 0 and mails(person["email"]) == []


@pytest.mark.parametrize("identifiant", ["V١٢٣٤٥٦", "V" + "9" * 40, "²"])
def test_login_identifiant(client, identifiant):
    response = client.post("/connexion", data={"identifiant": identifiant, "password": "x"})
    assert 400 <= response.status_code < 500
    assert "Identifiant" in text(response)
