"""PVO2 screens through the Flask test client: site identity, stock card, offers, bons de commande."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from simulators.pvo2.context import ATTENTION_LABEL
from simulators.pvo2.store import Customer, Order, Vehicle
from tests.pvo2.conftest import make_pvo2, order, site, text, vehicle_id

pytestmark = pytest.mark.pvo2

SITE_FORM = {"code": "PE01", "manufacturer_code": "", "label": "DEMO CDDS SPOTICAR", "company_name": "L'ARGUS",
             "siret": "00000000000018", "ape": "00111", "capital": "11111", "company_type": "ABC",
             "rrdi": "FR10350", "address": "11 RUE DES PETITS HOTELS", "postcode": "75010", "city": "PARIS"}


def _count(app, model) -> int:
    with app.extensions["db"].transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_site_identity_shows_the_seed_values(client):
    page = text(client.get("/parametres/site"))
    for value in ("PE01", "DEMO CDDS SPOTICAR", "L&#39;ARGUS", "00000000000018", "FR10350", "Code RRDI"):
        assert value in page


def test_site_identity_rejects_a_bad_siret_and_keeps_what_was_typed(client, app):
    response = client.post("/parametres/site", data={**SITE_FORM, "siret": "123", "label": "NOUVEAU LIBELLE"})
    assert response.status_code == 422
    page = text(response)
    assert "SIRET : Le SIRET doit comporter 14 chiffres." in page
    assert 'value="NOUVEAU LIBELLE"' in page and 'aria-invalid="true"' in page
    assert site(app).label == "DEMO CDDS SPOTICAR" and site(app).siret == "00000000000018"


def test_site_identity_requires_the_starred_fields(client, app):
    response = client.post("/parametres/site", data={**SITE_FORM, "code": " ", "capital": ""})
    assert response.status_code == 422
    assert "Code : Champ obligatoire." in text(response) and "Capital : Champ obligatoire." in text(response)


def test_site_identity_saves_an_empty_rrdi(client, app):
    response = client.post("/parametres/site", data={**SITE_FORM, "rrdi": ""})
    assert response.status_code == 302
    assert site(app).rrdi == ""


def test_offers_list_shows_counters_and_the_seed_orders(client):
    page = text(client.get("/offres/"))
    assert "Créer une offre à particulier" in page and "BDC en cours (non clos)" in page
    assert "CC-333-CC" in page and "BDC n°7400056" in page and "Offre n°7414134" in page
    assert "FY-544-EW" in text(client.get("/offres/?q=FY-544")) and "CC-333-CC" not in text(client.get("/offres/?q=FY-544"))


def test_vehicle_card_shows_label_and_warranty_level(client, app):
    page = text(client.get(f"/stock/{vehicle_id(app, 'FY-544-EW')}"))
    assert "Label constructeur" in page and "Garantie *" in page
    assert '<option value="Spoticar-Premium 12 Mois" selected>Spoticar-Premium 12 Mois</option>' in page
    assert '<option value="SPOTICAR" selected>SPOTICAR</option>' in page


def test_vehicle_card_refuses_a_level_of_another_label(client, app):
    vid = vehicle_id(app, "DL-342-MP")
    response = client.post(f"/stock/{vid}", data={"label": "DS CERTIFIED", "warranty_level":
                                                   "Spoticar-Premium 12 Mois", "provenance": "Particulier"})
    assert response.status_code == 422
    assert "ne correspond pas au label DS CERTIFIED" in text(response)
    with app.extensions["db"].transaction() as session:
        assert session.get(Vehicle, vid).label == ""


def test_create_offer_stores_the_customer(client, app, factory):
    person = factory.customer()
    vid = vehicle_id(app, "GA-105-PB")
    response = client.post("/offres/nouvelle", data={
        "civility": person["civility"], "last_name": person["last_name"], "first_name": person["first_name"],
        "address": person["address"], "postcode": person["postcode"], "city": person["city"],
        "phone": person["mobile"], "email": person["email"], "vehicle_id": vid})
    assert response.status_code == 302
    number = int(response.location.rstrip("/").split("/")[-1])
    stored = order(app, number)
    assert stored.state == "offre" and stored.customer.last_name == person["last_name"]
    assert f"N°{number}" in text(client.get(f"/offres/{number}"))


def test_create_offer_rejects_missing_fields_and_saves_nothing(client, app):
    before = _count(app, Customer), _count(app, Order)
    response = client.post("/offres/nouvelle", data={"civility": "M", "last_name": "", "first_name": "Jean",
                                                     "address": "1 rue", "postcode": "7501", "city": "Paris",
                                                     "vehicle_id": ""})
    assert response.status_code == 422
    page = text(response)
    assert "Nom : Champ obligatoire." in page and "Code postal : Le code postal doit comporter 5 chiffres." in page
    assert 'value="Jean"' in page
    assert (_count(app, Customer), _count(app, Order)) == before


def test_customer_name_is_escaped(client, app):
    vid = vehicle_id(app, "GA-105-PB")
    response = client.post("/offres/nouvelle", data={
        "civility": "M", "last_name": "<script>alert(1)</script>", "first_name": "X", "address": "1 rue",
        "postcode": "75010", "city": "Paris", "vehicle_id": vid})
    page = text(client.get(response.location))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _new_offer(client, app, plate: str) -> int:
    response = client.post("/offres/nouvelle", data={
        "civility": "MME", "last_name": "Martin", "first_name": "Claire", "address": "2 rue de la Paix",
        "postcode": "75002", "city": "Paris", "vehicle_id": vehicle_id(app, plate)})
    return int(response.location.rstrip("/").split("/")[-1])


def test_generate_bdc_is_refused_without_label_with_the_seed_message(client, app):
    number = _new_offer(client, app, "DL-342-MP")
    response = client.post(f"/offres/{number}/bon-de-commande")
    assert response.status_code == 422
    assert ATTENTION_LABEL in text(response)
    assert ATTENTION_LABEL.startswith("Attention : Il est indispensable de sélectionner sur la fiche du véhicule")
    assert order(app, number).state == "offre"


def test_generate_bdc_then_delivery_then_cloturer(client, app):
    number = _new_offer(client, app, "GA-105-PB")
    assert client.post(f"/offres/{number}/bon-de-commande").status_code == 302
    assert order(app, number).state == "bdc"
    refused = client.post(f"/livraisons/{number}/cloturer")
    assert refused.status_code == 422 and "Renseignez la date de livraison" in text(refused)
    bad = client.post(f"/livraisons/{number}/livraison", data={"delivery_date": "31/02/2030"})
    assert bad.status_code == 422 and "JJ/MM/AAAA" in text(bad) and 'value="31/02/2030"' in text(bad)
    early = client.post(f"/livraisons/{number}/livraison", data={"delivery_date": "01/01/2000"})
    assert early.status_code == 422 and "ne peut pas précéder" in text(early)
    assert order(app, number).delivery_date is None
    assert client.post(f"/livraisons/{number}/livraison", data={"delivery_date": "31/12/2099",
                                                               "delivery_time": "10:30"}).status_code == 302
    assert client.post(f"/livraisons/{number}/cloturer").status_code == 302
    stored = order(app, number)
    assert stored.state == "cloture" and stored.delivery_date.isoformat() == "2099-12-31"
    assert "BDC clôturé le" in text(client.get(f"/livraisons/{number}"))
    assert f"Commande n°{number}" in text(client.get("/livraisons/"))


def test_a_post_without_csrf_token_is_refused(tmp_path):
    app = make_pvo2(tmp_path, {}, csrf=True)
    try:
        response = app.test_client().post("/parametres/site", data=SITE_FORM)
        assert response.status_code == 400 and "rechargez la page" in text(response)
    finally:
        app.extensions["harness_stop"]()


def test_offers_list_filters_by_state(client):
    closed = text(client.get("/offres/?etat=cloture"))
    assert "BDC n°7414120" in closed and "Offre n°7414134" not in closed and "2 éléments" in closed
    offers = text(client.get("/offres/?etat=offre"))
    assert "Offre n°7414134" in offers and "BDC n°" not in offers
    assert "4 éléments" in text(client.get("/offres/?etat=n%27importe"))  # an unknown state filters nothing
