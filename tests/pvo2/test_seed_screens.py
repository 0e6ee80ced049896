"""PVO2 screens of seed 002 beyond the flow: comments, Annuler la commande, print scenarios and
document search, the marques représentées."""
from __future__ import annotations

import pytest

from tests.pvo2.conftest import order, text

pytestmark = pytest.mark.pvo2


def test_comment_is_added_to_the_offer_and_copied(client, app):
    assert "Aucun commentaire" in text(client.get("/offres/7414134"))
    client.post("/offres/7414134/commentaire", data={"comment": "Client rappelle <samedi>"})
    page = text(client.get("/offres/7414134?copier=1"))
    assert "Client rappelle &lt;samedi&gt;" in page and order(app, 7414134).comments == ["Client rappelle <samedi>"]


def test_cancelling_a_bdc_puts_its_vehicle_back_for_sale(client, app):
    assert "BB-222-AB" not in text(client.get("/stock/"))
    response = client.post("/livraisons/7400056/annuler")
    assert response.status_code == 302 and order(app, 7400056).state == "annulee"
    assert "BB-222-AB" in text(client.get("/stock/"))


def test_print_documents_are_searched_and_a_selection_saved_as_scenario(client):
    found = text(client.get("/imprimer/7414120?q=opel"))
    assert "SPOTICAR-OPEL" in found and "SPOTICAR-PEUGEOT" not in found
    saved = client.post("/imprimer/7414120/scenario", data={
        "scenario_name": "Peugeot + DS", "document": ["SPOTICAR-PEUGEOT", "DS-CERTIFIED"], "company": "DEMO"})
    assert saved.status_code == 302
    page = text(client.get(saved.headers["location"]))
    assert "Peugeot + DS" in page
    assert 'value="DS-CERTIFIED" checked' in page and 'value="SPOTICAR-PEUGEOT" checked' in page
    refused = client.post("/imprimer/7414120/scenario", data={"scenario_name": "", "document": []})
    assert refused.status_code == 422 and "Nom du scénario : champ obligatoire." in text(refused)


def test_offers_past_their_validity_are_shown_expired(client, app):
    import datetime as dt
    with app.extensions["db"].transaction() as session:
        from simulators.pvo2.store import Order
        session.query(Order).filter(Order.number == 7414134).update(
            {"expires_on": dt.date.today() - dt.timedelta(days=1)})
    listing = text(client.get("/offres/"))
    assert "Expirée le" in listing
    assert "Offre expirée le" in text(client.get("/offres/7414134"))
