"""Hostile values in every Tec3H form: a French message and a 422, the typed value shown again,
nothing stored; never a 500 (issue 13, defect 2)."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from simulators.tec3h.store import Customer, Order, Vehicle, Warranty
from tests.tec3h.conftest import form_values, vehicle_id
from tests.tec3h.test_customers_orders import _customer_form

pytestmark = pytest.mark.tec3h

FAR, UNICODE, HUGE = "31/12/9999", "²", "9" * 80


def _count(app, model) -> int:
    with app.app_context():
        return app.extensions["db"].session.scalar(select(func.count()).select_from(model))


def _refused(response, *messages: str) -> str:
    text = html.unescape(response.data.decode())
    assert response.status_code == 422
    for message in messages:
        assert message in text
    return text


@pytest.mark.parametrize("name,value,message", [
    ("date_naissance", FAR, "Le champ Date de naissance ne peut pas être dans le futur."),
    ("date_naissance", "³¹/12/1960", "Le champ Date de naissance doit être une date valide au format JJ/MM/AAAA."),
    ("date_piece", "01/01/0001", "Le champ Date de délivrance doit être une date entre 1900 et 2100."),
    ("code_postal", "٧٥٠٠١", "Le code postal doit comporter 5 chiffres."),
])
def test_customer_form(client, app, factory, name, value, message):
    before = _count(app, Customer)
    text = _refused(client.post("/clients/nouveau", data={**_customer_form(factory.customer()), name: value}),
                    message)
    assert f'value="{value}"' in text
    assert _count(app, Customer) == before


@pytest.mark.parametrize("name,value,message", [
    ("prix", "1e999", "Le champ PU TTC du véhicule doit être un montant (ex. 10290,76)."),
    ("prix", UNICODE, "Le champ PU TTC du véhicule doit être un montant (ex. 10290,76)."),
    ("client", HUGE, "Le champ Client doit être un nombre entier entre 1 et 1000000000."),
    ("date_vente", FAR, "Le champ Date de vente doit être une date entre 1900 et 2100."),
])
def test_order_form(client, app, name, value, message):
    vid = vehicle_id(app, "DL-342-MP")
    with app.app_context():  # a stock vehicle without an order
        vid = app.extensions["db"].session.scalar(
            select(Vehicle.id).where(~Vehicle.id.in_(select(Order.vehicle_id))).limit(1)) or vid
    form = form_values(client.get(f"/vehicules/{vid}/offre").data.decode())
    before = _count(app, Order)
    _refused(client.post(f"/vehicules/{vid}/offre", data={**form, "client": "1", name: value}), message)
    assert _count(app, Order) == before


@pytest.mark.parametrize("name,value,message", [
    ("km", UNICODE, "Le champ Kilométrage doit être un nombre entier entre 0 et 2000000."),
    ("co2", HUGE, "Le champ CO² doit être un nombre entier entre 0 et 1000."),
    ("annee_modele", "٢٠١٨", "Le champ Année du modèle doit être un nombre entier entre 1950 et 2100."),
    ("mec", FAR, "Le champ Mise en circulation ne peut pas être dans le futur."),
    ("prix", "NaN", "Le champ Prix de vente TTC doit être un montant (ex. 10290,76)."),
])
def test_vehicle_form(client, app, name, value, message):
    before = _count(app, Vehicle)
    data = {"marque": "Peugeot", "energie": "Diesel", "mec": "10/10/2018", "annee_modele": "2018",
            "modele": "308 (2)", "version": "x", name: value}
    text = _refused(client.post("/vehicules/nouveau", data=data), message)
    assert f'value="{value}"' in text
    assert _count(app, Vehicle) == before


@pytest.mark.parametrize("name,value,message", [
    ("puissance", UNICODE, "Le champ Puissance doit être un nombre entier entre 1 et 200."),
    ("km", HUGE, "Le champ Kilométrage doit être un nombre entier entre 0 et 2000000."),
    ("date_vente", FAR, "Le champ Date de vente doit être une date entre 1900 et 2100."),
    ("prix_vente", "1" * 50, "Le champ Prix vente doit être un montant (ex. 10290,76)."),
])
def test_warranty_form(client, app, name, value, message):
    vid = vehicle_id(app, "DL-342-MP")
    form = form_values(client.get(f"/vehicules/{vid}/garantie/spoticar").data.decode())
    text = _refused(client.post(f"/vehicules/{vid}/garantie/spoticar", data={**form, name: value}), message)
    assert f'value="{value}"' in text
    assert _count(app, Warranty) == 0
