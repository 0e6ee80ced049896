"""Customers (particulier / pro, from Gestion clients and from the order) and orders (Ventes, PDF)."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from simulators.tec3h.store import Customer, Order, Vehicle
from tests.tec3h.conftest import form_values, vehicle_id

pytestmark = pytest.mark.tec3h


def _customer_form(customer: dict, pro: bool = False) -> dict:
    data = {"type_client": "pro" if pro else "particulier", "civilite": customer["civility"],
            "nom_naissance": "" if pro else customer["last_name"], "nom_usage": customer["last_name"],
            "prenoms": customer["first_name"], "adresse": customer["address"],
            "code_postal": customer["postcode"], "ville": customer["city"], "tel_mobile": customer["mobile"],
            "email": customer["email"], "date_naissance": "17/05/1960"}
    if pro:
        data.update(raison_sociale=customer["company_name"], siret=customer["siret"])
    return data


def _count(app, model) -> int:
    with app.app_context():
        return app.extensions["db"].session.scalar(select(func.count()).select_from(model))


def test_particulier_created_from_gestion_clients_is_listed(client, factory):
    person = factory.customer()
    response = client.post("/clients/nouveau", data=_customer_form(person))
    assert response.status_code == 302 and response.headers["Location"] == "/clients"
    html = client.get("/clients", query_string={"q": person["last_name"]}).data.decode()
    assert person["email"] in html and "Particulier" in html


def test_pro_needs_a_raison_sociale_and_no_nom_de_naissance(client, app, factory):
    company = factory.customer(pro=True)
    before = _count(app, Customer)
    bad = {**_customer_form(company, pro=True), "raison_sociale": "", "nom_naissance": "MARTIN"}
    html = client.post("/clients/nouveau", data=bad).data.decode()
    assert "Le champ Raison sociale est obligatoire." in html
    assert "Pour un client professionnel, laissez le champ Nom de naissance vide." in html
    assert _count(app, Customer) == before
    assert client.post("/clients/nouveau", data=_customer_form(company, pro=True)).status_code == 302
    assert company["company_name"].upper() in client.get("/clients?q=" + company["company_name"][:6]).data.decode()


def test_particulier_required_fields_and_formats(client, app):
    response = client.post("/clients/nouveau", data={"type_client": "particulier", "code_postal": "7501",
                                                     "email": "pas-un-email", "ville": "Tours"})
    html = response.data.decode()
    assert response.status_code == 422
    for message in ("Le champ Civilité est obligatoire.", "Le champ Nom de naissance est obligatoire.",
                    "Le champ Prénoms est obligatoire.", "Le champ Adresse est obligatoire.",
                    "Le code postal doit comporter 5 chiffres.", "L&#39;adresse email n&#39;est pas valide."):
        assert message in html
    assert 'value="Tours"' in html


def test_client_created_from_the_order_comes_back_chosen(client, app, factory):
    vid = vehicle_id(app, "FE-260-RZ")
    order_page = client.get(f"/vehicules/{vid}/offre").data.decode()
    assert f'/clients/nouveau?next=/vehicules/{vid}/offre' in order_page
    response = client.post("/clients/nouveau", data={**_customer_form(factory.customer()),
                                                     "next": f"/vehicules/{vid}/offre"})
    location = response.headers["Location"]
    assert location.startswith(f"/vehicules/{vid}/offre?client=")
    new_id = location.rsplit("=", 1)[1]
    assert form_values(client.get(location).data.decode())["client"] == new_id
    evil = client.post("/clients/nouveau", data={**_customer_form(factory.customer()), "next": "//evil.example"})
    assert evil.headers["Location"] == "/clients"


def test_customer_names_are_escaped(client, factory):
    person = factory.customer(last_name="<script>alert(1)</script>")
    client.post("/clients/nouveau", data=_customer_form(person))
    html = client.get("/clients").data.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;" in html


def _order(customer_id: int, **overrides) -> dict:
    data = {"client": str(customer_id), "statut": "Commande", "service": "Aucun service",
            "commercial": "Nicolas Pélissier", "prix": "20000", "date_livraison": "30/11/2025",
            "date_vente": "29/11/2025", "origine": "Inconnue", "paiement": "Virement"}
    data.update(overrides)
    return data


def test_order_saved_listed_in_ventes_printed_and_modified(client, app):
    vid = vehicle_id(app, "FE-260-RZ")
    assert client.post(f"/vehicules/{vid}/offre", data=_order(120811)).status_code == 302
    with app.app_context():
        order = app.extensions["db"].session.scalar(select(Order).where(Order.vehicle_id == vid))
        assert (order.number, str(order.total_ttc), order.status) == (4587, "20043.76", "Commande")
    sales = client.get("/ventes").data.decode()
    assert "4587" in sales and "FE-260-RZ" in sales and "20 043,76 €" in sales
    pdf = client.get(f"/ventes/{order.id}/imprimer")
    assert pdf.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "BON DE COMMANDE N° 4587" in text and "FE-260-RZ" in text and "20 043,76 €" in text
    client.post(f"/ventes/{order.id}/modifier", data=_order(120811, prix="19000", paiement="Chèque"))
    with app.app_context():
        order = app.extensions["db"].session.get(Order, order.id)
        assert (str(order.total_ttc), order.payment_mode) == ("19043.76", "Chèque")
    assert client.get(f"/vehicules/{vid}/offre").headers["Location"] == f"/ventes/{order.id}/modifier"


def test_order_refuses_missing_and_incoherent_values(client, app):
    vid = vehicle_id(app, "FE-260-RZ")
    html = client.post(f"/vehicules/{vid}/offre", data=_order(999, date_vente="", date_livraison="01/01/2020",
                                                              commercial="Inconnu", prix="abc")).data.decode()
    for message in ("Client introuvable", "Le champ Date de vente est obligatoire pour une commande.",
                    "Le champ Commercial doit être choisi dans la liste.",
                    "Le champ PU TTC du véhicule doit être un montant"):
        assert message in html
    late = client.post(f"/vehicules/{vid}/offre", data=_order(120811, date_livraison="01/01/2020"))
    assert "La date de livraison ne peut pas précéder la date de vente." in late.data.decode()
    assert _count(app, Order) == 1


def test_ventes_filters_by_seller_and_pro(client, app):
    assert "4586" in client.get("/ventes?commercial=Nicolas+Pélissier").data.decode()
    assert "Aucune commande." in client.get("/ventes?commercial=Sophie+Marchand").data.decode()
    assert "Aucune commande." in client.get("/ventes?clients=pro").data.decode()


def test_ventes_livreur_filter_uses_the_orders_livreur_not_its_seller(client, app):
    # the demo order 4586: sold by Nicolas Pélissier, delivered by Nicolas Nivez
    assert "4586" in client.get("/ventes?livreur=Nicolas+Nivez").data.decode()
    assert "Aucune commande." in client.get("/ventes?livreur=Nicolas+Pélissier").data.decode()
    vid = vehicle_id(app, "FE-260-RZ")
    client.post(f"/vehicules/{vid}/offre", data=_order(120811, livreur="Sophie Marchand"))
    by_sophie = client.get("/ventes?livreur=Sophie+Marchand").data.decode()
    assert "4587" in by_sophie and "4586" not in by_sophie
    with app.app_context():
        order = app.extensions["db"].session.scalar(select(Order).where(Order.number == 4587))
        assert (order.seller, order.deliverer) == ("Nicolas Pélissier", "Sophie Marchand")
    edit = client.get(f"/ventes/{order.id}/modifier").data.decode()
    assert '<option value="Sophie Marchand" selected' in edit


def test_forms_without_csrf_token_are_refused(tmp_path):
    from simulators import tec3h
    app = tec3h.create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "URLS": {}})
    response = app.test_client().post("/clients/nouveau", data={"type_client": "particulier"})
    assert response.status_code == 400 and "formulaire a expiré" in response.data.decode()
    app.extensions["harness_stop"]()


def test_ventes_telecharger_exports_the_filtered_orders(client):
    response = client.get("/ventes/export.csv", query_string={"commercial": "Nicolas Pélissier"})
    lines = response.data.decode("utf-8").lstrip("\ufeff").splitlines()
    assert response.headers["Content-Disposition"] == 'attachment; filename="ventes-tec3h.csv"'
    assert lines[0].startswith("N°;Statut;Date de vente") and len(lines) == 2
    assert lines[1].startswith("4586;Commande;") and "DL-342-MP" in lines[1] and "10043,76" in lines[1]
    empty = client.get("/ventes/export.csv", query_string={"service": "Atelier"}).data.decode()
    assert len(empty.splitlines()) == 1


def test_identity_documents_are_kept_and_checked(client, app, factory):
    data = {**_customer_form(factory.customer()), "type_piece": "Passeport", "numero_piece": "19AB12345",
            "date_piece": "02/03/2019", "numero_permis": "120375300123", "categorie_permis": "B",
            "date_permis": "15/06/2004", "conducteur_principal": "non"}
    bad = client.post("/clients/nouveau", data={**data, "date_permis": "15/06/2099", "categorie_permis": "Z"})
    html = bad.data.decode()
    assert "Le champ Date de délivrance du permis ne peut pas être dans le futur." in html
    assert "Le champ Catégorie du permis doit être choisi dans la liste." in html
    assert client.post("/clients/nouveau", data=data).status_code == 302
    with app.app_context():
        c = app.extensions["db"].session.scalar(select(Customer).where(Customer.id_number == "19AB12345"))
        assert (c.id_type, c.licence_category, c.main_driver, c.licence_issue_date.year) == (
            "Passeport", "B", False, 2004)
    edit = form_values(client.get(f"/clients/{c.id}/modifier").data.decode())
    assert edit["numero_permis"] == "120375300123" and edit["date_piece"] == "02/03/2019"


def test_session_cookie_has_its_own_name(client, factory):
    """Cookies ignore ports: a plain "session" cookie would clobber the centralisateur's on one host."""
    response = client.post("/clients/nouveau", data=_customer_form(factory.customer()))
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("tec3h_session=") for c in cookies)
    assert not any(c.startswith("session=") for c in cookies)


def test_reserver_keeps_what_was_typed_and_marks_the_vehicle(client, app):
    vid = vehicle_id(app, "FE-260-RZ")
    page = client.post(f"/vehicules/{vid}/offre", data=_order(120811, prix="19 500", action="reserver"))
    html = page.data.decode()
    assert page.status_code == 200 and "Véhicule réservé." in html and 'value="19 500"' in html
    assert "Annuler la réservation" in html and _count(app, Order) == 1  # nothing saved but the reservation
    with app.app_context():
        assert app.extensions["db"].session.get(Vehicle, vid).state == "Réservé"
    assert "FE-260-RZ" in client.get("/stock", query_string={"etat": "Réservé"}).data.decode()
    client.post(f"/vehicules/{vid}/offre", data=_order(120811, action="reserver"))
    with app.app_context():
        assert app.extensions["db"].session.get(Vehicle, vid).state == "Stock"


def test_ajouter_adds_an_article_line_to_the_order_and_its_total(client, app):
    vid = vehicle_id(app, "FE-260-RZ")
    missing = client.post(f"/vehicules/{vid}/offre", data=_order(120811, action="article", article_prix="abc"))
    assert missing.status_code == 422 and "Ajouter : renseignez le champ Désignation de l'article." in \
        missing.data.decode().replace("&#39;", "'")
    assert _count(app, Order) == 1
    added = client.post(f"/vehicules/{vid}/offre", data=_order(120811, action="article",
                                                              article_designation="Tapis de sol",
                                                              article_reference="TAP01", article_prix="89,90"))
    assert "#articles" in added.headers["Location"]
    html = client.get(added.headers["Location"]).data.decode()
    assert "Article « Tapis de sol » ajouté." in html and "TAP01" in html and "89,90 €" in html
    assert "20 133,66 €" in html  # 20 000 + 43,76 of fixed lines + 89,90
    with app.app_context():
        order = app.extensions["db"].session.scalar(select(Order).where(Order.number == 4587))
        assert str(order.total_ttc) == "20133.66" and [a.designation for a in order.articles] == ["Tapis de sol"]
    client.post(f"/ventes/{order.id}/modifier", data=_order(120811, prix="19000"))
    with app.app_context():
        assert str(app.extensions["db"].session.get(Order, order.id).total_ttc) == "19133.66"


def test_km_max_a_la_livraison_is_kept_and_not_below_the_mileage(client, app):
    vid = vehicle_id(app, "FE-260-RZ")
    with app.app_context():
        mileage = app.extensions["db"].session.get(Vehicle, vid).mileage_km
    low = client.post(f"/vehicules/{vid}/offre", data=_order(120811, km_max=str(mileage - 1)))
    assert low.status_code == 422 and "Km max à la livraison : le véhicule a déjà" in low.data.decode()
    client.post(f"/vehicules/{vid}/offre", data=_order(120811, km_max=str(mileage + 500)))
    with app.app_context():
        order = app.extensions["db"].session.scalar(select(Order).where(Order.vehicle_id == vid))
        assert order.km_max_delivery == mileage + 500
    assert f'value="{mileage + 500}"' in client.get(f"/ventes/{order.id}/modifier").data.decode()


def test_sales_from_the_test_route_and_from_the_screen_never_share_a_number(tmp_path, factory):
    """A test-route sale, then an order typed on screen (the counter catches up past the first), then
    a second test-route sale: each gets its own number (not 409, « identifiant déjà pris »)."""
    from simulators import tec3h
    app = tec3h.create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "WTF_CSRF_ENABLED": False,
                            "TEST_ROUTES": True})
    tec3h.seed_demo(app, 0)
    client = app.test_client()
    def test_sale() -> str:
        answer = client.post("/__test__/sales", json={
            "plate": factory.plate(), "vin": factory.vin("PEUGEOT"), "customer": factory.customer(),
            "reference": f"E{factory.rng.randint(10**6, 10**7 - 1)}"})
        assert answer.status_code == 201, answer.data.decode()
        return answer.json["number"]
    first = test_sale()
    assert client.post(f"/vehicules/{vehicle_id(app, 'FE-260-RZ')}/offre", data=_order(120811)).status_code == 302
    second = test_sale()
    sales = client.get("/ventes").data.decode()
    with app.app_context():
        typed = app.extensions["db"].session.scalar(
            select(Order.number).where(Order.vehicle_id == vehicle_id(app, "FE-260-RZ")))
    app.extensions["harness_stop"]()
    assert len({first, second, str(typed)}) == 3 and all(n in sales for n in (first, second, str(typed)))
