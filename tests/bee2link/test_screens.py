"""Bee2link screens through the Flask test client: pipeline counts, moves, the vehicle card."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from simulators.bee2link.store import Event, Order, Vehicle
from tests.dms_helpers import csrf_token, text

pytestmark = pytest.mark.bee2link


def stored(app, model, *where):
    with app.extensions["db"].transaction() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def ds4(app) -> Vehicle:
    with app.extensions["db"].transaction() as s:
        return s.scalar(select(Vehicle).join(Order).where(Order.number == 4586))


def test_pipeline_shows_the_counts_of_the_store(app, client):
    page = client.get("/vo?etape=preparation")
    assert page.status_code == 200
    for code in ("preparation", "livraison", "sortie"):
        total = stored(app, Vehicle, Vehicle.rrdi == "020319L", Vehicle.stage == code)
        assert f'data-testid="count-{code}">0({total})<' in page.get_data(as_text=True)
    assert stored(app, Vehicle, Vehicle.rrdi == "020319L", Vehicle.stage == "preparation") == 5


def test_vehicle_card_shows_order_and_sections_of_the_seed(app, client):
    page = text(client.get(f"/vo/vehicules/{ds4(app).id}"))
    assert "DS DS4 BlueHDI 120 S&S BVM6 Chic" in page
    assert "Commande n°4586 - 10 241,00 €" in page
    for section in ("Financement PSA Finance", f"Mise à jour : {dt.date.today() - dt.timedelta(days=1):%d/%m/%Y} 12:50", "Médias", "Historique",
                    "Commentaires", "Documents joints"):
        assert section in page


def test_moving_a_vehicle_changes_counts_and_history(app, client):
    vehicle_id = ds4(app).id
    page = client.get(f"/vo/vehicules/{vehicle_id}")
    response = client.post(f"/vo/vehicules/{vehicle_id}/etape",
                           data={"etape": "sortie", "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 303
    assert ds4(app).stage == "sortie"
    pipeline_page = client.get("/vo").get_data(as_text=True)
    assert 'data-testid="count-livraison">0(7)<' in pipeline_page
    assert 'data-testid="count-sortie">1(8)<' in pipeline_page
    assert "Passage de Livraison à SORTIE" in text(client.get(f"/vo/vehicules/{vehicle_id}"))


def test_moving_to_an_unknown_stage_is_refused_and_changes_nothing(app, client):
    vehicle = ds4(app)
    token = csrf_token(client.get(f"/vo/vehicules/{vehicle.id}").get_data(as_text=True))
    response = client.post(f"/vo/vehicules/{vehicle.id}/etape", data={"etape": "vendu", "csrf_token": token})
    assert response.status_code == 400
    assert "Choisissez une étape du pipeline." in text(response)
    assert ds4(app).stage == "livraison"


def test_move_without_csrf_token_is_refused(app, client):
    vehicle = ds4(app)
    response = client.post(f"/vo/vehicules/{vehicle.id}/etape", data={"etape": "sortie"})
    assert response.status_code == 400
    assert ds4(app).stage == "livraison"


def test_comment_is_stored_and_shown_escaped(app, client):
    vehicle = ds4(app)
    token = csrf_token(client.get(f"/vo/vehicules/{vehicle.id}").get_data(as_text=True))
    client.post(f"/vo/vehicules/{vehicle.id}/commentaires",
                data={"commentaire": "<script>alert(1)</script> client pressé", "csrf_token": token})
    html = client.get(f"/vo/vehicules/{vehicle.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; client pressé" in html
    assert "<script>alert" not in html


def test_empty_comment_gets_a_french_message_and_nothing_is_stored(app, client):
    vehicle = ds4(app)
    token = csrf_token(client.get(f"/vo/vehicules/{vehicle.id}").get_data(as_text=True))
    before = stored(app, Event, Event.kind == "comment")
    response = client.post(f"/vo/vehicules/{vehicle.id}/commentaires", data={"commentaire": "  ",
                                                                          "csrf_token": token})
    assert response.status_code == 400
    assert "Le commentaire est vide." in text(response)
    assert stored(app, Event, Event.kind == "comment") == before


def test_another_sites_vehicle_is_not_found(app, client):
    with app.extensions["db"].transaction() as s:
        other = s.scalar(select(Vehicle).where(Vehicle.rrdi == "013250C"))
    assert client.get(f"/vo/vehicules/{other.id}").status_code == 404
    token = csrf_token(client.get("/vo").get_data(as_text=True))
    client.post("/site", data={"rrdi": "013250C", "csrf_token": token})
    assert client.get(f"/vo/vehicules/{other.id}").status_code == 200


def test_delivery_page_leads_to_services_externes_and_declaration_button(app, client):
    vehicle = ds4(app)
    delivery = client.get(f"/vo/vehicules/{vehicle.id}/livraison").get_data(as_text=True)
    assert f'href="/vo/vehicules/{vehicle.id}/services-externes">Services externes<' in delivery
    services = client.get(f"/vo/vehicules/{vehicle.id}/services-externes").get_data(as_text=True)
    assert 'target="_blank"' in services and ">Déclaration SPOTICAR</button>" in services


def test_unknown_stage_in_url_is_a_404(client):
    assert client.get("/vo?etape=nulle-part").status_code == 404


def test_next_stage_button_moves_one_step_along_the_pipeline(app, client):
    with app.extensions["db"].transaction() as s:
        vehicle = s.scalar(select(Vehicle).where(Vehicle.rrdi == "020319L", Vehicle.stage == "destination_prix"))
    page = client.get(f"/vo/vehicules/{vehicle.id}")
    assert "Passer à l'étape suivante : Préparation" in text(page)
    client.post(f"/vo/vehicules/{vehicle.id}/etape",
                data={"etape": "preparation", "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert "Passer à l'étape suivante : Disponible à la vente" in text(client.get(f"/vo/vehicules/{vehicle.id}"))


def test_demo_stock_is_deterministic(app, tmp_path):
    from simulators import bee2link
    from simulators.bee2link.demo import stock_data
    other = bee2link.create_app({"DATA_DIR": str(tmp_path / "again"), "DEMO_MODE": True, "URLS": {}})
    bee2link.seed_demo(other, 0)
    plates = [in_app(a, select(Vehicle.plate).order_by(Vehicle.id)) for a in (app, other)]
    other.extensions["harness_stop"]()
    data = stock_data()
    expected = len(data["seed_vehicles"]) + sum(
        sum(n.values()) if isinstance(n, dict) else n for stages in data["generated"].values() for n in stages.values())
    assert plates[0] == plates[1] and len(plates[0]) == expected


def in_app(app, query) -> list:
    with app.extensions["db"].transaction() as s:
        return list(s.scalars(query))


def test_calculer_le_financement_shows_the_monthly_payment(app, client):
    page = text(client.get(f"/vo/vehicules/{ds4(app).id}?financement=1"))
    # 10 241,00 € less 10 % over 48 months at 4,90 %: 211,84 € a month
    assert "Mensualité estimée : 211,84 € sur 48 mois (apport 1 024,10 €" in page


def test_too_long_comment_is_refused_and_kept_on_the_card(app, client):
    vehicle = ds4(app)
    token = csrf_token(client.get(f"/vo/vehicules/{vehicle.id}").get_data(as_text=True))
    before = stored(app, Event, Event.kind == "comment")
    typed = "Reprise à prévoir " * 60
    response = client.post(f"/vo/vehicules/{vehicle.id}/commentaires", data={"commentaire": typed,
                                                                          "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Le commentaire dépasse 1000 caractères." in html
    assert typed.strip() in html and 'aria-invalid="true"' in html
    assert stored(app, Event, Event.kind == "comment") == before


def test_unknown_stage_gets_a_french_message(app, client):
    vehicle = ds4(app)
    token = csrf_token(client.get(f"/vo/vehicules/{vehicle.id}").get_data(as_text=True))
    response = client.post(f"/vo/vehicules/{vehicle.id}/etape", data={"etape": "nulle-part", "csrf_token": token})
    assert response.status_code == 400 and "Choisissez une étape du pipeline." in text(response)
    assert ds4(app).stage == "livraison"
