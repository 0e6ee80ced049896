"""Déclaration SPOTICAR from Bee2link: the hand-off sent, the answers handled, the contract shown."""
import pytest
from sqlalchemy import select

from common.keys import demo_dms_keys
from spoticar_handoff import HandoffIn
from simulators.bee2link.store import Order, Vehicle
from tests.dms_helpers import assert_refused_callbacks, csrf_token, signed_callback, text

DEMO_KEYS = demo_dms_keys()  # the apps under test run in demo mode

pytestmark = pytest.mark.bee2link


def order(app, number=4586) -> Order:
    with app.extensions["db"].transaction() as s:
        return s.scalar(select(Order).where(Order.number == number))


def declare(client, vehicle_id: int):
    page = client.get(f"/vo/vehicules/{vehicle_id}/services-externes")
    return client.post(f"/vo/vehicules/{vehicle_id}/declaration-spoticar",
                       data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def test_declaration_hands_the_order_off_and_opens_the_centralisateur(app, client, cds):
    response = declare(client, order(app).vehicle_id)
    assert response.status_code == 303
    assert response.headers["Location"] == "http://cds.test/declaration/SP020319L000000001"
    sent = HandoffIn.model_validate(cds.handoffs[0])
    assert (sent.source_dms, sent.dms_order_ref, sent.dealer.rrdi) == ("bee2link", "4586", "020319L")
    assert (sent.vehicle.brand, sent.vehicle.model, sent.vehicle.version) == ("DS", "DS4", "BlueHDI 120 S&S BVM6 Chic")
    assert str(sent.sale.price_ttc) == "10241.00"
    assert (sent.warranty.label, sent.warranty.product, sent.warranty.duration_months) == ("DS CERTIFIED", "DS CERTIFIED", 12)
    assert str(sent.callback_url) == "http://b2l.test/api/spoticar/callback"
    # first registration 14/03/2017 + the 2-year manufacturer warranty, mileage unlimited
    assert (sent.vehicle.manufacturer_warranty_end.isoformat(), sent.vehicle.manufacturer_warranty_km) == (
        "2019-03-14", 999999)
    assert order(app).bdc_number == "SP020319L000000001"


def test_order_page_polls_and_shows_the_contract_number(app, client, cds):
    declare(client, order(app).vehicle_id)
    page = text(client.get("/vo/commandes/4586"))
    assert "Commande n°4586 - 10 241,00 €" in page
    assert "SP020319L000000001" in page and "En attente de déclaration" in page
    cds.declare("SP020319L000000001", "22612000001")
    page = text(client.get("/vo/commandes/4586"))
    assert "Numéro de contrat : 22612000001" in page and "Déclarée" in page
    assert "Garantisseur Garantie SPOTICAR Stellantis" in page
    assert order(app).contract_number == "22612000001"
    calls = cds.status_calls
    client.get("/vo/commandes/4586")
    assert cds.status_calls == calls  # final state known: no more polling


def test_refused_handoff_shows_the_centralisateur_message_and_keeps_the_order(app, client, cds):
    cds.mode = "refuse"
    response = declare(client, order(app).vehicle_id)
    assert response.status_code == 422
    assert "Marque TATA non admise." in text(response)
    assert order(app).bdc_number is None


@pytest.mark.parametrize("mode, shown", [("down", "Le centralisateur Spoticar ne répond pas"),
                                         ("error", "Le centralisateur Spoticar est en erreur : la déclaration")])
def test_centralisateur_down_gives_a_clear_message_and_loses_nothing(app, client, cds, mode, shown):
    cds.mode = mode
    before = order(app)
    response = declare(client, before.vehicle_id)
    assert response.status_code == 503
    assert shown in text(response)
    assert "Votre commande n'a pas été modifiée." in text(response)
    page = response.get_data(as_text=True)  # the message is the alert, and the user can try again from there
    assert '<div role="alert" class="error">' in page and ">Déclaration SPOTICAR</button>" in page
    after = order(app)
    assert (after.bdc_number, after.price_ttc, after.customer) == (None, before.price_ttc, before.customer)
    cds.mode = "accept"
    assert declare(client, before.vehicle_id).status_code == 303  # retry works once it is back


def test_order_page_stays_readable_when_the_centralisateur_is_down(app, client, cds):
    declare(client, order(app).vehicle_id)
    cds.mode = "down"
    response = client.get("/vo/commandes/4586")
    assert response.status_code == 200
    assert "Statut non actualisé" in text(response) and "SP020319L000000001" in text(response)


def test_vehicle_without_order_cannot_be_declared(app, client, cds):
    with app.extensions["db"].transaction() as s:
        bare = s.scalar(select(Vehicle).where(Vehicle.stage == "preparation", Vehicle.rrdi == "020319L"))
    response = declare(client, bare.id)
    assert response.status_code == 409
    assert "Aucune commande sur ce véhicule" in text(response)
    assert cds.handoffs == []


def test_signed_callback_records_the_contract(app, client, cds):
    declare(client, order(app).vehicle_id)
    state = cds.declare("SP020319L000000001", "22612000077")
    response = signed_callback(client, state, DEMO_KEYS["bee2link"])
    assert response.status_code == 200
    assert order(app).contract_number == "22612000077"
    assert "Contrat de garantie n° 22612000077" in text(client.get(f"/vo/vehicules/{order(app).vehicle_id}"))


def test_forged_callback_is_refused_and_changes_nothing(app, client, cds):
    declare(client, order(app).vehicle_id)
    state = cds.declare("SP020319L000000001")
    response = signed_callback(client, state, DEMO_KEYS["bee2link"], signature="sha256=" + "0" * 64)
    assert response.status_code == 401
    assert order(app).contract_number is None
    assert signed_callback(client, state, DEMO_KEYS["neovo"]).status_code == 401


def test_callback_for_an_unknown_order_is_a_404(client):
    response = signed_callback(client, {"bdc_number": "SP020319L999999999", "status": "declared"},
                               DEMO_KEYS["bee2link"])
    assert response.status_code == 404


def test_callback_with_a_body_that_is_not_a_state_is_refused(client):
    response = signed_callback(client, {"hello": "world"}, DEMO_KEYS["bee2link"])
    assert response.status_code == 400
    assert "n'est pas un état de déclaration" in response.get_json()["errors"][0]["message"]


def test_a_late_stale_callback_does_not_undo_the_declaration(app, client, cds):
    declare(client, order(app).vehicle_id)
    declared = cds.declare("SP020319L000000001", "22612000088")
    assert signed_callback(client, declared, DEMO_KEYS["bee2link"]).status_code == 200
    stale = {"bdc_number": "SP020319L000000001", "status": "contract_pending", "garantisseur": "stellantis"}
    assert signed_callback(client, stale, DEMO_KEYS["bee2link"]).status_code == 200
    assert (order(app).declaration_status, order(app).contract_number) == ("declared", "22612000088")


def test_bad_stale_or_replayed_callbacks_are_refused_and_a_replay_adds_no_history(app, client, cds):
    declare(client, order(app).vehicle_id)
    assert_refused_callbacks(client, cds.declare("SP020319L000000001", "22612000099"), DEMO_KEYS["bee2link"])
    page = text(client.get(f"/vo/vehicules/{order(app).vehicle_id}"))
    assert page.count("Contrat de garantie n° 22612000099") == 1
