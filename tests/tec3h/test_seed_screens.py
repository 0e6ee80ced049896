"""Tec3H screens of seed 001 beyond the flow: Sexe and the co-titulaire on the customer form, the
order's financing and deposit, Ventes filters and pages, Listes PDF and Style d'affichage."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from simulators.tec3h.store import Customer
from tests.tec3h.conftest import vehicle_id
from tests.tec3h.test_customers_orders import _customer_form, _order

pytestmark = pytest.mark.tec3h


def _stored(app, **where) -> Customer:
    with app.app_context():
        return app.extensions["db"].session.scalar(select(Customer).filter_by(**where))


def test_customer_with_sex_and_co_holder_then_a_new_blank_form(client, app, factory):
    person, other = factory.customer(), factory.customer()
    data = {**_customer_form(person), "sexe": "F", "co_civilite": "M", "co_nom_naissance": other["last_name"],
            "co_prenoms": other["first_name"], "co_date_naissance": "17/05/1960",
            "co_conducteur_principal": "oui", "ensuite": "nouveau"}
    response = client.post("/clients/nouveau", data=data)
    assert response.status_code == 302 and response.headers["location"].endswith("/clients/nouveau")
    stored = _stored(app, birth_name=person["last_name"])
    assert stored.sex == "F" and stored.co_holder == {
        "civilite": "M", "nom_naissance": other["last_name"], "prenoms": other["first_name"],
        "date_naissance": "1960-05-17", "conducteur_principal": True}
    page = client.get(f"/clients/{stored.id}/modifier").data.decode()
    assert "Identité du co-titulaire" in page and f'value="{other["last_name"]}"' in page
    half = client.post("/clients/nouveau", data={**_customer_form(factory.customer()), "co_profession": "Pilote"})
    assert half.status_code == 422 and "Co-titulaire : renseignez au moins" in half.data.decode()


def test_order_keeps_financing_and_deposit(client, app, factory):
    client.post("/clients/nouveau", data=_customer_form(factory.customer()))
    with app.app_context():
        customer_id = max(c.id for c in app.extensions["db"].session.scalars(select(Customer)))
    vid = vehicle_id(app, "FE-260-RZ")
    data = {**_order(customer_id), "financement": "Crédipar", "mode_acompte": "Chèque", "acompte": "1 500,00"}
    assert client.post(f"/vehicules/{vid}/offre", data=data).status_code == 302
    page = client.get(f"/vehicules/{vid}/offre", follow_redirects=True).data.decode()
    assert '<option value="Crédipar" selected>' in page and 'value="1500.00"' in page
    assert "Date de l'offre" in page and "Valider et enregistrer" in page


def test_sales_filters_pages_and_stock_pdf(client, app):
    page = client.get("/ventes?afficher=10").data.decode()
    assert "Tous les véhicules" in page and "Tous les livreurs" in page and "‹ Précédent" in page
    assert client.get("/ventes?vehicule=Peugeot").status_code == 200
    assert client.get("/ventes?page=abc").status_code == 400
    pdf = client.get("/stock/liste.pdf?q=DL-342-MP")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert pdf.mimetype == "application/pdf" and "DL-342-MP" in text
    assert "vignettes" in client.get("/stock?style=vignettes").data.decode()


def test_ptac_is_on_the_vehicle_and_sent_so_a_heavy_vehicle_is_refused_from_the_screen(client, app, centralisateur):
    from tests.tec3h.conftest import form_values
    vid = vehicle_id(app, "DL-342-MP")
    assert "PTAC" in client.get(f"/vehicules/{vid}").data.decode()
    form = form_values(client.get(f"/vehicules/{vid}/garantie/spoticar").data.decode())
    assert form["ptac"].isdigit() and 1400 <= int(form["ptac"]) <= 2600
    client.post(f"/vehicules/{vid}/garantie/spoticar", data={**form, "ptac": "3600"})
    assert centralisateur.handoffs[-1]["vehicle"]["ptac_kg"] == 3600
