"""PVO2 screens of seed 002 beyond the flow: comments, Annuler la commande, print scenarios and
document search, the marques représentées."""
from __future__ import annotations

import html

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


def test_saved_print_scenarios_are_bounded_and_the_dropped_one_named(client, factory):
    """Scenarios live in the session cookie: without a bound, a user (or a script) saving more grew it
    past the ~4 KB a browser keeps, and the whole session was silently lost. The newest
    ``MAX_SCENARIOS`` are kept; the oldest dropped is named in French."""
    from simulators.pvo2.printing import MAX_SCENARIOS
    every = ["DS-CERTIFIED", "SPOTICAR-CITROEN", "SPOTICAR-DS", "SPOTICAR-OPEL", "SPOTICAR-PEUGEOT"]
    names = [f"{n:03d} {factory.fake.sentence(nb_words=8)}"[:40].strip() for n in range(120)]
    for name in names:  # as a browser: each saving, then the page it leads to (its messages shown)
        saved = client.post("/imprimer/7414120/scenario", data={"scenario_name": name, "document": every})
        assert saved.status_code == 302
        page = html.unescape(text(client.get(saved.headers["location"])))  # as read: « l'une », not « l&#39;une »
        assert len(client.get_cookie("pvo2_session").value) < 4000  # what a browser keeps, with room
    dropped = names[-MAX_SCENARIOS - 1]
    assert f"Au plus {MAX_SCENARIOS} scénarios sont gardés : le plus ancien, « {dropped} », a été retiré." in page
    assert all(name in page for name in names[-MAX_SCENARIOS:])
    assert not any(name in page for name in names[:-MAX_SCENARIOS - 1])  # the dropped one: in the message
    # saved again under an older name: it becomes the newest, nothing else is dropped
    again = client.post("/imprimer/7414120/scenario", data={"scenario_name": names[-MAX_SCENARIOS],
                                                            "document": ["SPOTICAR-OPEL"]})
    page = html.unescape(text(client.get(again.headers["location"])))
    assert "sont gardés" not in page and all(name in page for name in names[-MAX_SCENARIOS:])
    assert 'value="SPOTICAR-OPEL" checked' in page and 'value="DS-CERTIFIED" checked' not in page


def test_offers_past_their_validity_are_shown_expired(client, app):
    import datetime as dt
    with app.extensions["db"].transaction() as session:
        from simulators.pvo2.store import Order
        session.query(Order).filter(Order.number == 7414134).update(
            {"expires_on": dt.date.today() - dt.timedelta(days=1)})
    listing = text(client.get("/offres/"))
    assert "Expirée le" in listing
    assert "Offre expirée le" in text(client.get("/offres/7414134"))
