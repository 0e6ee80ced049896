"""Garantie → Nouvelle garantie Spoticar → Envoyer: pre-fill, required fields, hand-off body, refusal,
centralisateur down then retry, signed callback and polling."""
from __future__ import annotations

import json
import threading
import time

import httpx
import pytest
from sqlalchemy import select

from common.serve import AppServer
from common.keys import demo_dms_keys
from simulators.dms import events
from simulators.tec3h.store import Warranty
from spoticar_handoff import HandoffIn
from tests.dms_helpers import assert_refused_callbacks, signed_callback, text
from tests.tec3h.conftest import form_values, vehicle_id, warranty_form
from spoticar_handoff.tls import tls_context

DEMO_KEYS = demo_dms_keys()  # the apps under test run in demo mode

pytestmark = pytest.mark.tec3h


def _warranty(app) -> Warranty | None:
    with app.app_context():
        return app.extensions["db"].session.scalar(select(Warranty))


def test_form_is_prefilled_from_the_order(client, vid):
    tab = client.get(f"/vehicules/{vid}/garantie").data.decode()
    assert "Nouvelle garantie Spoticar" in tab
    page = client.get(f"/vehicules/{vid}/garantie/spoticar").data.decode()
    assert "Informations à valider/compléter pour la garantie" in page
    form = form_values(page)
    assert (form["immatriculation"], form["marque"], form["modele"], form["date_mec"], form["vin"],
            form["puissance"], form["puissance_din"], form["km"], form["carburant"]) == (
        "DL-342-MP", "Peugeot", "308 SW (2)", "10/11/2014", "VF34H9HR8ES321654", "6", "115", "190000", "Diesel")
    assert form["nom"] and form["prenom"] and form["code_postal"] and form["civilite"] in ("M", "MME")


def test_required_fields_are_enforced_and_nothing_is_sent(client, app, vid, centralisateur):
    form = {**warranty_form(client, vid), "nom": "", "immatriculation": "", "vin": "ABC", "km": "beaucoup"}
    response = client.post(f"/vehicules/{vid}/garantie/spoticar", data=form)
    html = response.data.decode()
    assert response.status_code == 422
    for message in ("Le champ Nom est obligatoire.", "Le champ Immatriculation est obligatoire.",
                    "Le VIN doit comporter exactement 17 caractères",
                    "Le champ Kilométrage doit être un nombre entier"):
        assert message in html
    assert html.count('aria-invalid="true"') == 4
    assert form_values(html)["prenom"] == form["prenom"]
    assert centralisateur.handoffs == [] and _warranty(app) is None


def test_envoyer_hands_off_the_order_and_links_the_declaration(client, app, vid, centralisateur):
    response = client.post(f"/vehicules/{vid}/garantie/spoticar", data=warranty_form(client, vid))
    assert response.status_code == 302
    [body] = centralisateur.handoffs
    assert body["source_dms"] == "tec3h" and body["dms_order_ref"] == "4586"
    assert body["dealer"] == {"rrdi": "953617Z"} and body["seller"] == "Nicolas Pélissier"
    assert body["vehicle"]["plate"] == "DL-342-MP" and body["vehicle"]["brand"] == "PEUGEOT"
    assert body["vehicle"]["energy"] == "DIESEL" and body["vehicle"]["din_power"] == 115
    assert body["vehicle"]["first_registration"] == "2014-11-10"
    assert body["warranty"]["product"] == "SPOTICAR PREMIUM" and body["warranty"]["duration_months"] == 24
    assert body["customer"]["consent"] == ["email"]
    assert body["callback_url"] == "http://tec3h.test/api/spoticar/callback"
    assert body["vehicle"]["manufacturer_warranty_end"] == "2016-11-10"
    HandoffIn.model_validate(body)  # what we send is valid v1
    tab = client.get(f"/vehicules/{vid}/garantie").data.decode()
    assert "SP953617Z103833712" in tab
    assert 'href="http://centralisateur.test/declaration/tok" target="_blank"' in tab


def test_a_price_typed_the_french_way_is_sent_as_the_wire_writes_it(client, vid, centralisateur):
    # « 15 000,50 € » with the narrow no-break space French typing puts between thousands
    form = {**warranty_form(client, vid), "prix_vente": "15\u202f000,50 €", "prix_reprise": "2\u00a0000"}
    assert client.post(f"/vehicules/{vid}/garantie/spoticar", data=form).status_code == 302
    [body] = centralisateur.handoffs
    assert (body["sale"]["price_ttc"], body["sale"]["trade_in_value"]) == ("15000.50", "2000.00")
    HandoffIn.model_validate(body)


def test_centralisateur_down_keeps_everything_and_retry_sends(client, app, vid, centralisateur):
    centralisateur.mode = "down"
    form = {**warranty_form(client, vid), "profession": "Boulanger"}
    client.post(f"/vehicules/{vid}/garantie/spoticar", data=form)
    tab = text(client.get(f"/vehicules/{vid}/garantie"))
    assert ("Le centralisateur Spoticar ne répond pas : la déclaration n'a pas été transmise, réessayez dans "
            "quelques instants.") in tab and "Réessayer l'envoi" in tab
    assert "Non transmise (centralisateur indisponible)" in tab
    warranty = _warranty(app)
    assert warranty.status == "not_sent" and warranty.form["profession"] == "Boulanger"
    assert warranty_form(client, vid)["profession"] == "Boulanger"
    centralisateur.mode = "accept"
    client.post(f"/garanties/{warranty.id}/renvoyer")
    assert _warranty(app).bdc_number == "SP953617Z103833712"
    assert "Transmise : déclaration à finaliser sur le centralisateur" in text(client.get(f"/vehicules/{vid}/garantie"))
    assert centralisateur.handoffs[-1]["customer"]["last_name"] == form["nom"]


def test_refusal_is_shown_on_the_form_with_values_kept_and_can_be_corrected(client, app, vid, centralisateur):
    centralisateur.mode = "refuse"
    form = {**warranty_form(client, vid), "marque": "TATA"}
    response = client.post(f"/vehicules/{vid}/garantie/spoticar", data=form)
    html = response.data.decode()
    assert response.status_code == 422
    assert "Déclaration refusée par le centralisateur" in html and "la marque TATA" in html
    assert 'type="text" id="marque" name="marque" value="TATA"' in html
    assert 'aria-invalid="true" aria-describedby="marque-error"' in html
    assert _warranty(app).status == "rejected"
    reopened = client.get(f"/vehicules/{vid}/garantie/spoticar")  # Nouvelle garantie Spoticar again
    page = reopened.data.decode()
    assert reopened.status_code == 200 and "la marque TATA" in page
    assert 'type="text" id="marque" name="marque" value="TATA"' in page
    centralisateur.mode = "accept"
    client.post(f"/vehicules/{vid}/garantie/spoticar", data={**form, "marque": "Peugeot"})
    assert _warranty(app).status == "pending" and len(centralisateur.handoffs) == 2


def _callback(client, body: dict, key: str = DEMO_KEYS["tec3h"]):
    return signed_callback(client, body, key)


def test_signed_callback_puts_the_contract_on_the_vehicle_card(client, app, vid):
    client.post(f"/vehicules/{vid}/garantie/spoticar", data=warranty_form(client, vid))
    declared = {"bdc_number": "SP953617Z103833712", "status": "declared", "contract_number": "22511015251",
                "garantisseur": "Garantie SPOTICAR Stellantis"}
    assert _callback(client, declared, key="wrong-key").status_code == 401
    assert "22511015251" not in client.get(f"/vehicules/{vid}").data.decode()
    assert _callback(client, declared).status_code == 200
    assert "contrat N° 22511015251" in client.get(f"/vehicules/{vid}").data.decode()
    assert "22511015251" in client.get("/ventes").data.decode()
    assert _callback(client, {**declared, "bdc_number": "SP953617Z999999999"}).status_code == 404


def test_polling_finds_the_contract_when_the_callback_was_missed(client, app, vid, centralisateur):
    client.post(f"/vehicules/{vid}/garantie/spoticar", data=warranty_form(client, vid))
    assert client.get(f"/vehicules/{vid}/garantie/etat").json["contract_number"] is None
    centralisateur.state = {"status": "declared", "contract_number": "22511015252"}
    state = client.get(f"/vehicules/{vid}/garantie/etat").json
    assert state == {"status": "declared", "status_text": "Déclarée", "bdc_number": "SP953617Z103833712",
                     "contract_number": "22511015252"}
    assert "22511015252" in client.get(f"/vehicules/{vid}/garantie").data.decode()


def test_vehicle_card_and_order_poll_for_the_contract(client, app, vid, centralisateur):
    client.post(f"/vehicules/{vid}/garantie/spoticar", data=warranty_form(client, vid))
    centralisateur.state = {"status": "declared", "contract_number": "22511015253"}
    assert "contrat N° 22511015253" in client.get(f"/vehicules/{vid}").data.decode()
    order_page = client.get(f"/ventes/{_warranty(app).order_id}/modifier").data.decode()
    assert "contrat N° 22511015253 (bon de commande SP953617Z103833712)" in order_page


def test_no_warranty_without_a_commande(client, app):
    vid = vehicle_id(app, "FY-202-WD")
    response = client.get(f"/vehicules/{vid}/garantie/spoticar")
    assert response.status_code == 302
    assert "Enregistrez d&#39;abord un bon de commande" in client.get(response.headers["Location"]).data.decode()


def test_refusal_without_a_field_is_shown_as_a_message(client, app, vid, centralisateur):
    centralisateur.mode = "refuse"
    centralisateur.refusal = [{"field": None,
                               "message": "Le point de vente 953617Z n'est pas servi par le DMS tec3h."}]
    html = client.post(f"/vehicules/{vid}/garantie/spoticar", data=warranty_form(client, vid)).data.decode()
    assert "servi par le DMS tec3h" in html and 'aria-invalid="true"' not in html
    assert _warranty(app).status == "rejected"


def test_second_envoyer_does_not_send_again(client, app, vid, centralisateur):
    form = warranty_form(client, vid)
    client.post(f"/vehicules/{vid}/garantie/spoticar", data=form)
    again = client.post(f"/vehicules/{vid}/garantie/spoticar", data=form)
    assert again.status_code == 302 and again.headers["Location"] == f"/vehicules/{vid}/garantie"
    assert len(centralisateur.handoffs) == 1


def test_the_page_after_envoyer_opens_the_declaration_once(client, vid):
    client.post(f"/vehicules/{vid}/garantie/spoticar", data=warranty_form(client, vid))
    first = client.get(f"/vehicules/{vid}/garantie").data.decode()
    assert 'data-auto-open="http://centralisateur.test/declaration/tok"' in first
    assert "data-auto-open" not in client.get(f"/vehicules/{vid}/garantie").data.decode()


def test_no_database_transaction_is_open_while_calling_the_centralisateur(client, app, vid, centralisateur):
    """SQLite transactions lock the file: the callback may arrive while Tec3H waits for the answer."""
    from flask import g
    open_during_call = []
    centralisateur.during = lambda: open_during_call.append(g._db_session.in_transaction())
    client.post(f"/vehicules/{vid}/garantie/spoticar", data=warranty_form(client, vid))   # hand-off
    client.get(f"/vehicules/{vid}/garantie/etat")                                  # polling
    client.get(f"/vehicules/{vid}")                                                # card polling
    assert open_during_call == [False, False, False]


def test_refusal_messages_and_typed_values_are_escaped(client, vid, centralisateur):
    centralisateur.mode = "refuse"
    centralisateur.refusal = [{"field": "vehicle.brand", "message": "la marque <b>X</b> est refusée"}]
    html = client.post(f"/vehicules/{vid}/garantie/spoticar",
                       data={**warranty_form(client, vid), "marque": "<script>alert(1)</script>"}).data.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>X</b>" not in html and "&lt;b&gt;X&lt;/b&gt;" in html


def test_a_late_stale_callback_never_undoes_the_declaration(client, app, vid):
    client.post(f"/vehicules/{vid}/garantie/spoticar", data=warranty_form(client, vid))
    declared = {"bdc_number": "SP953617Z103833712", "status": "declared", "contract_number": "22511015254"}
    assert _callback(client, declared).status_code == 200
    stale = {"bdc_number": "SP953617Z103833712", "status": "contract_pending", "contract_number": None}
    assert _callback(client, stale).status_code == 200
    warranty = _warranty(app)
    assert (warranty.status, warranty.contract_number) == ("declared", "22511015254")


def test_bad_stale_or_replayed_callbacks_are_refused(client, app, vid):
    client.post(f"/vehicules/{vid}/garantie/spoticar", data=warranty_form(client, vid))
    declared = {"bdc_number": "SP953617Z103833712", "status": "declared", "contract_number": "22511015255"}
    assert_refused_callbacks(client, declared, DEMO_KEYS["tec3h"])
    assert (_warranty(app).status, _warranty(app).contract_number) == ("declared", "22511015255")


def _events(response):
    """The ``data:`` states of a server-sent event stream, as they come (``event: busy`` as such)."""
    for chunk in response.response:
        text = chunk.decode() if isinstance(chunk, bytes) else chunk
        if text.startswith("event: busy"):
            yield "busy"
        elif text.startswith("data: "):
            yield json.loads(text[len("data: "):])


def test_the_contract_number_is_pushed_to_the_card_when_the_callback_lands(client, app, vid):
    client.post(f"/vehicules/{vid}/garantie/spoticar", data=warranty_form(client, vid))
    tab = client.get(f"/vehicules/{vid}/garantie").data.decode()
    assert f'data-events-url="/flux/vehicules/{vid}/garantie"' in tab
    stream = client.get(f"/flux/vehicules/{vid}/garantie", buffered=False)
    assert stream.status_code == 200 and stream.mimetype == "text/event-stream"
    states = _events(stream)
    assert next(states)["status"] == "pending"
    declared = {"bdc_number": "SP953617Z103833712", "status": "declared", "contract_number": "22511015254",
                "garantisseur": "Garantie SPOTICAR Stellantis"}
    callback = threading.Thread(target=lambda: _callback(app.test_client(), declared))
    callback.start()
    assert next(states) == {"status": "declared", "status_text": "Déclarée",
                            "bdc_number": "SP953617Z103833712", "contract_number": "22511015254"}
    assert list(states) == []  # a final state ends the stream
    callback.join()


def _first_event(response: httpx.Response) -> str:
    """The first ``data:`` or ``event:`` line of an open event stream."""
    for line in response.iter_lines():
        if line.startswith(("data: ", "event: ")):
            return line
    return ""


def test_streams_beyond_the_limit_tell_the_page_to_poll(client, app, vid):
    client.post(f"/vehicules/{vid}/garantie/spoticar", data=warranty_form(client, vid))
    # closed tabs are noticed at the server's next writes: re-read every 0.2 s, not every 2 s
    app.config["STREAM_RECHECK_SECONDS"] = 0.2
    server = AppServer.bind("127.0.0.1", 0).mount(app).start()  # one thread per stream, as served
    url = f"{server.url}/flux/vehicules/{vid}/garantie"
    http = httpx.Client(verify=tls_context(), timeout=30)
    try:
        opened = [http.send(http.build_request("GET", url), stream=True) for _ in range(events.MAX_STREAMS)]
        for stream in opened:
            assert '"status": "pending"' in _first_event(stream)
        with http.stream("GET", url) as extra:
            assert _first_event(extra) == "event: busy"
        for stream in opened:
            stream.close()
        # a closed tab gives its place back once the server writes to it (a comment every re-read)
        deadline = time.monotonic() + 60
        while True:
            with http.stream("GET", url) as again:
                if _first_event(again) != "event: busy":
                    break
            assert time.monotonic() < deadline, "les flux fermés n'ont pas rendu leur place"
            time.sleep(0.2)
    finally:
        http.close()
        server.stop()


def test_the_tab_right_after_envoyer_shows_the_receipt_without_asking_again(client, app, vid, centralisateur):
    response = client.post(f"/vehicules/{vid}/garantie/spoticar", data=warranty_form(client, vid))
    tab = client.get(response.headers["Location"]).data.decode()
    assert "SP953617Z103833712" in tab and "data-auto-open=" in tab
    assert centralisateur.status_calls == 0  # the receipt was stored a moment ago
    centralisateur.state = {"status": "declared", "contract_number": "22511015254"}
    assert "22511015254" in client.get(f"/vehicules/{vid}/garantie").data.decode()  # a later visit asks
    assert centralisateur.status_calls == 1
