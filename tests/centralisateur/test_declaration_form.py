"""Form 2/3 over plain HTTP with hostile values: a French line and a 422, what was typed shown again,
the declaration still pending; never a 500 (issue 13, defect 2)."""
from __future__ import annotations

import html

import pytest

from tests.centralisateur.support import api_client, open_form

pytestmark = pytest.mark.centralisateur

HOSTILE = [
    ("din_power", "²", "Le champ puissance din doit être un nombre entier positif"),
    ("mileage_km", "³", "Le champ km jour de la vente doit être un nombre entier positif"),
    ("mileage_km", "٣٤٥", "Le champ km jour de la vente doit être un nombre entier positif"),
    ("mileage_km", "9" * 60, "Le champ km jour de la vente doit être un nombre entier positif"),
    ("price_ttc", "1e400", "Le champ prix de vente doit être un montant (ex. 10290,76)"),
    ("start_date", "31/12/9999", "Le champ date début de garantie doit être une date entre 1900 et 2100"),
    ("birth_date", "01/01/0001", "Le champ date de naissance doit être une date entre 1900 et 2100"),
    ("delivery_date", "²⁵/11/2025", "Le champ date de livraison doit être une date valide au format JJ/MM/AAAA"),
    ("duration_months", "²", "Le champ durée a une valeur non proposée"),
]


@pytest.mark.parametrize("name,value,message", HOSTILE)
def test_hostile_values_get_a_french_line_and_a_422(stack, factory, name, value, message):
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
        browser, url, values = open_form(stack, receipt["declaration_url"])
        page = browser.post(url, data={**values, name: value})
        text = html.unescape(page.text)
        assert page.status_code == 422
        assert message in text
        assert f'id="f-{name}-error"' in text or name == "duration_months"
        if name != "duration_months":
            assert f'value="{value}"' in text  # what was typed stays in its field
        assert api.get(f"/api/v1/declarations/{receipt['bdc_number']}").json()["status"] == "pending"


def test_missing_fields_are_listed_and_flagged(stack, factory):
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
        browser, url, values = open_form(stack, receipt["declaration_url"])
        page = browser.post(url, data={**values, "plate": "", "kind": ""})
        text = html.unescape(page.text)
        assert page.status_code == 422
        assert "<li>Le champ type véhicule est obligatoire</li>" in text
        assert "<li>Le champ immatriculation est obligatoire</li>" in text
        assert 'aria-invalid="true" aria-describedby="f-plate-error"' in text
