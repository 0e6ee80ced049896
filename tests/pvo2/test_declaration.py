"""Déclaration de garantie from PVO2: the hand-off, its refusals, the callback and the polling."""
from __future__ import annotations

import datetime as dt
import time

import pytest

from common.keys import demo_dms_keys
from simulators.pvo2.declaring import RRDI_MISSING, handoff_payload
from spoticar_handoff import HandoffIn
from tests.dms_helpers import signed_callback
from tests.pvo2.conftest import DOWN_URL, make_pvo2, order, site, text

DEMO_KEYS = demo_dms_keys()  # the apps under test run in demo mode

pytestmark = pytest.mark.pvo2

KARoq = 7414120  # seed order: Skoda Karoq FY-544-EW, Spoticar-Premium 12 Mois, closed, delivered today
DS9 = 7400061    # seed order: DS 9 with the seed's garage plate CC333C1


def _clear_rrdi(app):
    with app.extensions["db"].transaction() as session:
        from simulators.pvo2.store import Site
        session.query(Site).update({"rrdi": ""})


def test_handoff_payload_is_a_valid_v1_body(app):
    payload = handoff_payload(order(app, KARoq), site(app), "http://pvo2.test")
    body = HandoffIn.model_validate(payload)
    assert body.source_dms == "pvo2" and body.dms_order_ref == str(KARoq) and body.dealer.rrdi == "FR10350"
    assert body.vehicle.plate == "FY-544-EW" and body.vehicle.brand == "SKODA" and body.vehicle.energy == "DIESEL"
    assert (body.warranty.label, body.warranty.product, body.warranty.duration_months) == \
        ("SPOTICAR", "SPOTICAR PREMIUM", 12)
    # the seed's order is dated relative to today: delivered today, the warranty starts today
    assert body.warranty.start_date == body.sale.delivery_date == dt.date.today()
    assert str(body.callback_url) == "http://pvo2.test/api/spoticar/callback"


def test_declare_spoticar_hands_off_and_opens_the_centralisateur(client, app, fake_centralisateur):
    response = client.post(f"/livraisons/{KARoq}/declarer", data={"garantisseur": "spoticar"})
    assert response.status_code == 303
    assert response.location == f"{fake_centralisateur.url}/declarations/1?t=abc"
    sent = fake_centralisateur.received[0]
    assert sent["auth"] == f"Bearer {DEMO_KEYS['pvo2']}" and sent["body"]["vehicle"]["vin"] == "TMBJG7NU9M50143AA"
    stored = order(app, KARoq)
    assert (stored.garantisseur, stored.bdc_number, stored.declaration_status) == \
        ("spoticar", "SPFR10350103833712", "pending")
    page = text(client.get(f"/livraisons/{KARoq}"))
    assert "SPFR10350103833712" in page and 'target="_blank"' in page


def test_declare_without_rrdi_says_where_to_fill_it(client, app, fake_centralisateur):
    _clear_rrdi(app)
    response = client.post(f"/livraisons/{KARoq}/declarer", data={"garantisseur": "spoticar"})
    assert response.status_code == 422
    assert "Paramètres → Fiche d&#39;identité du site" in text(response)
    assert "Fiche d'identité du site" in RRDI_MISSING and "Code RRDI" in RRDI_MISSING
    assert fake_centralisateur.received == [] and order(app, KARoq).bdc_number == ""


def test_refusal_by_the_centralisateur_is_shown_and_the_order_is_unchanged(client, app, fake_centralisateur):
    fake_centralisateur.mode = "refuse"
    response = client.post(f"/livraisons/{KARoq}/declarer", data={"garantisseur": "spoticar"})
    assert response.status_code == 422
    page = text(response)
    assert "Déclaration refusée par le centralisateur" in page and "comme taxi sont exclus" in page
    stored = order(app, KARoq)
    assert (stored.garantisseur, stored.bdc_number, stored.state) == ("", "", "cloture")


def test_centralisateur_down_is_shown_and_the_order_is_unchanged(tmp_path):
    app = make_pvo2(tmp_path, {"centralisateur": DOWN_URL})
    try:
        response = app.test_client().post(f"/livraisons/{KARoq}/declarer", data={"garantisseur": "spoticar"})
        assert response.status_code == 503
        assert "Le centralisateur Spoticar ne répond pas" in text(response)
        assert order(app, KARoq).bdc_number == ""
    finally:
        app.extensions["harness_stop"]()


def test_centralisateur_error_is_shown(client, app, fake_centralisateur):
    fake_centralisateur.mode = "error"
    response = client.post(f"/livraisons/{KARoq}/declarer", data={"garantisseur": "spoticar"})
    page = text(response)
    assert response.status_code == 503 and "Le centralisateur Spoticar est en erreur" in page and "HTTP" not in page
    assert order(app, KARoq).bdc_number == ""


def test_unknown_garantisseur_is_refused(client, app, fake_centralisateur):
    response = client.post(f"/livraisons/{KARoq}/declarer", data={"garantisseur": "autre"})
    assert response.status_code == 422 and "choisissez un garantisseur" in text(response)
    assert fake_centralisateur.received == []


def _callback(client, body: dict, key: str = DEMO_KEYS["pvo2"]):
    return signed_callback(client, body, key)


def test_signed_callback_sets_the_contract_number(client, app, fake_centralisateur):
    client.post(f"/livraisons/{KARoq}/declarer", data={"garantisseur": "spoticar"})
    response = _callback(client, {"bdc_number": "SPFR10350103833712", "status": "declared",
                                  "contract_number": "22511015251"})
    assert response.status_code == 200
    assert order(app, KARoq).contract_number == "22511015251"
    assert "Numéro de contrat : 22511015251" in text(client.get(f"/livraisons/{KARoq}"))


def test_forged_callback_is_refused(client, app, fake_centralisateur):
    client.post(f"/livraisons/{KARoq}/declarer", data={"garantisseur": "spoticar"})
    response = _callback(client, {"bdc_number": "SPFR10350103833712", "status": "declared",
                                  "contract_number": "22511015251"}, key="wrong-key")
    assert response.status_code == 401
    assert order(app, KARoq).contract_number == ""
    garbage = client.post("/api/spoticar/callback", data=b"{}", content_type="application/json")
    assert garbage.status_code == 401


def test_order_page_polls_the_contract_number(client, app, fake_centralisateur):
    client.post(f"/livraisons/{KARoq}/declarer", data={"garantisseur": "spoticar"})
    fake_centralisateur.state = {"status": "declared", "contract_number": "22511015299",
                                 "garantisseur": "Garantie SPOTICAR Stellantis"}
    page = text(client.get(f"/livraisons/{KARoq}"))
    assert "Numéro de contrat : 22511015299" in page and "Garantie déclarée" in page
    assert order(app, KARoq).declaration_status == "declared"


def test_a_late_stale_callback_never_undoes_the_declaration(client, app, fake_centralisateur):
    client.post(f"/livraisons/{KARoq}/declarer", data={"garantisseur": "spoticar"})
    declared = {"bdc_number": "SPFR10350103833712", "status": "declared", "contract_number": "22511015262"}
    assert _callback(client, declared).status_code == 200
    stale = {"bdc_number": "SPFR10350103833712", "status": "contract_pending", "contract_number": None}
    assert _callback(client, stale).status_code == 200
    stored = order(app, KARoq)
    assert (stored.declaration_status, stored.contract_number, stored.garantisseur) == \
        ("declared", "22511015262", "spoticar")
    assert "Garantie déclarée" in text(client.get(f"/livraisons/{KARoq}"))


def test_a_replayed_or_stale_callback_is_refused_and_changes_nothing(client, app, fake_centralisateur):
    client.post(f"/livraisons/{KARoq}/declarer", data={"garantisseur": "spoticar"})
    pending = {"bdc_number": "SPFR10350103833712", "status": "contract_pending", "contract_number": None}
    assert signed_callback(client, pending, DEMO_KEYS["pvo2"], delivery="d-1").status_code == 200
    declared = {**pending, "status": "declared", "contract_number": "22511015263"}
    replay = signed_callback(client, declared, DEMO_KEYS["pvo2"], delivery="d-1")
    assert replay.status_code == 409 and "Rappel déjà reçu" in replay.get_json()["errors"][0]["message"]
    stale = signed_callback(client, declared, DEMO_KEYS["pvo2"], timestamp=int(time.time()) - 3600)
    assert stale.status_code == 401 and "périmé" in stale.get_json()["errors"][0]["message"]
    assert (order(app, KARoq).declaration_status, order(app, KARoq).contract_number) == ("contract_pending", "")
    assert signed_callback(client, declared, DEMO_KEYS["pvo2"], delivery="d-2").status_code == 200
    assert order(app, KARoq).contract_number == "22511015263"
