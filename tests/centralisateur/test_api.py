"""Hand-off API v1 over real HTTP (SPEC §4.1): codes, bodies, idempotency, concurrency, callbacks."""
from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import json
import time
import zlib

import httpx
import pytest
from flask import Flask, request

from centralisateur.store import bdc_number
from common.serve import AppServer
from harness.testing import allow_callback_origin, icare_contracts, run_due_jobs
from spoticar_handoff import CallbackRejected, verify_callback
from tests.centralisateur.support import api_client, open_form

pytestmark = pytest.mark.centralisateur


def test_handoff_is_created_with_bdc_number_and_declaration_url(api, factory):
    response = api.post("/api/v1/handoffs", json=factory.handoff())
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"handoff_id", "bdc_number", "declaration_url", "status", "warnings"}
    assert body["status"] == "pending"
    assert body["bdc_number"].startswith("SP953617Z") and len(body["bdc_number"]) == 18
    assert body["declaration_url"].startswith(api.base_url.scheme + "://")


def test_bdc_number_answered_is_the_one_stored_and_follows_the_handoff_id(api, factory):
    # the SQLite INSERT writes the number in SQL (centralisateur.api_store): the same as bdc_number's
    receipts = [api.post("/api/v1/handoffs", json=factory.handoff()).json() for _ in range(2)]
    for receipt in receipts:
        assert receipt["bdc_number"] == bdc_number("953617Z", receipt["handoff_id"])
        stored = api.get(f"/api/v1/declarations/{receipt['bdc_number']}")
        assert stored.status_code == 200 and stored.json()["bdc_number"] == receipt["bdc_number"]
    assert receipts[1]["handoff_id"] == receipts[0]["handoff_id"] + 1


def test_same_dms_order_sent_again_returns_the_same_handoff(api, factory):
    payload = factory.handoff()
    first = api.post("/api/v1/handoffs", json=payload)
    payload["customer"]["city"] = "TOURS"
    payload["vehicle"]["plate"] = "AB-12"  # a correction that now warns
    again = api.post("/api/v1/handoffs", json=payload)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["bdc_number"] == first.json()["bdc_number"]
    assert again.json()["handoff_id"] == first.json()["handoff_id"]
    assert [w["field"] for w in again.json()["warnings"]] == ["vehicle.plate"]
    assert "Immatriculation*" in again.json()["warnings"][0]["message"]


def test_status_endpoint_reports_pending_then_only_to_the_sending_dms(api, stack, factory):
    bdc = api.post("/api/v1/handoffs", json=factory.handoff()).json()["bdc_number"]
    status = api.get(f"/api/v1/declarations/{bdc}")
    assert status.status_code == 200
    assert status.json()["status"] == "pending" and status.json()["contract_number"] is None
    with api_client(stack, "pvo2") as other:
        hidden = other.get(f"/api/v1/declarations/{bdc}")
    assert hidden.status_code == 404 and "errors" in hidden.json()


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic eDp5"},
                                     {"Authorization": "Bearer demo-"}])
def test_missing_or_bad_key_is_401(stack, factory, headers):
    response = httpx.post(stack.url("centralisateur") + "/api/v1/handoffs", json=factory.handoff(),
                          headers=headers)
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"].startswith("Clé d'API absente ou invalide")


def test_dealer_served_by_another_dms_is_403(stack, factory):
    with api_client(stack, "pvo2") as pvo2:
        response = pvo2.post("/api/v1/handoffs", json=factory.handoff(rrdi="953617Z", source_dms="pvo2"))
    assert response.status_code == 403
    assert response.json()["errors"] == [{"field": "dealer.rrdi",
                                          "message": "Le point de vente 953617Z n'est pas servi par le DMS pvo2."}]


def test_key_of_one_dms_cannot_speak_for_another_403(api, factory):
    response = api.post("/api/v1/handoffs", json=factory.handoff(rrdi="FR10350", source_dms="pvo2"))
    assert response.status_code == 403 and response.json()["errors"][0]["field"] == "source_dms"


def test_unknown_dealer_is_422(api, factory):
    response = api.post("/api/v1/handoffs", json=factory.handoff(rrdi="000000A"))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "dealer.rrdi",
                                          "message": "Code RRDI 000000A inconnu du centralisateur Spoticar."}]


def test_not_json_is_415(api):
    response = api.post("/api/v1/handoffs", content=b"source_dms=tec3h",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert "JSON attendu" in response.json()["errors"][0]["message"]


def test_malformed_json_is_400(api):
    response = api.post("/api/v1/handoffs", content=b'{"source_dms": ', headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and "JSON valide" in response.json()["errors"][0]["message"]


def test_body_too_large_is_413(api, factory):
    payload = factory.handoff(seller="x" * (2 * 1024 * 1024))
    response = api.post("/api/v1/handoffs", json=payload)
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"] == "Le contenu envoyé est trop volumineux."


def test_every_invalid_field_the_form_cannot_fix_is_listed_in_french(api, factory):
    payload = factory.handoff()
    payload["vehicle"].update(usage="ovni", din_power="cent")
    payload["customer"].update(birth_date="17/05/1960")
    payload["warranty"]["product"] = "SPOTICAR GOLD"
    payload["colour"] = "rouge"
    del payload["dms_order_ref"]
    response = api.post("/api/v1/handoffs", json=payload)
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors == {
        "dms_order_ref": "Champ obligatoire.",
        "customer.birth_date": "Doit être une date au format AAAA-MM-JJ.",
        "vehicle.din_power": "Doit être un nombre entier.",
        "vehicle.usage": errors["vehicle.usage"],
        "warranty.product": "Produit de garantie inconnu pour le label SPOTICAR ; produits possibles : "
                            "SPOTICAR ESSENTIAL, SPOTICAR PREMIUM.",
        "colour": "Champ inconnu : il ne fait pas partie du format v1.",
    }
    assert errors["vehicle.usage"].startswith("Valeur non autorisée ; valeurs possibles : 'particulier', 'taxi'")


@pytest.mark.parametrize("field, value, message", [
    ("din_power", True, "Doit être un nombre entier."),
    ("mileage_km", "12000", "Doit être un nombre entier."),
    ("fiscal_power", 7.5, "Doit être un nombre entier."),
    ("four_wheel_drive", "oui", "Doit valoir true ou false."),
    ("four_wheel_drive", 1, "Doit valoir true ou false."),
])
def test_json_types_are_not_coerced(api, factory, field, value, message):
    """A JSON boolean is not a number and a string is not an integer: the v1 format is typed, and a DMS
    sending the wrong type is told so rather than having it silently converted (``7.0`` is an integer
    in JSON Schema, ``7.5`` is not)."""
    payload = factory.handoff()
    payload["vehicle"][field] = value
    response = api.post("/api/v1/handoffs", json=payload)
    assert response.status_code == 422
    assert {e["field"]: e["message"] for e in response.json()["errors"]} == {f"vehicle.{field}": message}


@pytest.mark.parametrize("value", ["", "   ", None], ids=["vide", "blancs", "null"])
def test_a_required_text_left_blank_or_null_is_said_to_be_required(api, factory, value):
    """Not « Doit être une chaîne de caractères »: the DMS sent a text, or null, where a value is required."""
    payload = factory.handoff()
    payload["customer"]["last_name"] = value
    response = api.post("/api/v1/handoffs", json=payload)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "customer.last_name",
                                          "message": "Champ obligatoire : il ne peut pas être vide ni null."}]


def test_values_the_dealer_can_correct_arrive_as_sent_with_a_warning_per_form_label(api, stack, factory):
    payload = factory.handoff()
    payload["vehicle"].update(vin="123", plate="AB-12-CD", version=None)
    payload["customer"].update(postcode="7501", email="pas-un-email", mobile="06 12")
    sold, delivered = dt.date.today() - dt.timedelta(days=1), dt.date.today() - dt.timedelta(days=10)
    payload["sale"].update(sale_date=sold.isoformat(), delivery_date=delivered.isoformat())  # delivered first
    payload["warranty"]["start_date"] = sold.isoformat()
    payload["vehicle"]["first_registration"] = "2022-06-15"  # before both: no warning of its own
    response = api.post("/api/v1/handoffs", json=payload)
    assert response.status_code == 201
    warnings = {w["field"]: w["message"] for w in response.json()["warnings"]}
    fix = " À corriger sur le formulaire de déclaration (2/3) avant de déclarer."
    assert warnings == {
        "customer.email": "« Email » : L'adresse email n'est pas valide." + fix,
        "customer.mobile": "« Tel. Mobile » : Le numéro de téléphone doit comporter 10 chiffres "
                           "(ex. 0102030405)." + fix,
        "customer.postcode": "« Code Postal* » : Le code postal doit comporter 5 chiffres." + fix,
        "vehicle.plate": "« Immatriculation* » : L'immatriculation doit être au format SIV AA-123-AA "
                         "(sans I, O ni U)." + fix,
        "sale.delivery_date": "« Date de livraison* » : La date de livraison ne peut pas précéder la date "
                              "de vente." + fix,
        "vehicle.version": "« Version* » : champ absent, obligatoire pour déclarer. À compléter sur le "
                           "formulaire de déclaration (2/3) avant de déclarer.",
        "vehicle.vin": "« VIN* » : Le VIN doit comporter exactement 17 caractères (lettres et chiffres, "
                       "sans I, O ni Q)." + fix,
    }
    # the form 2/3 shows the values as sent, for the dealer to correct
    _browser, _url, values = open_form(stack, response.json()["declaration_url"])
    assert (values["plate"], values["vin"], values["postcode"]) == ("AB-12-CD", "123", "7501")
    # corrected by the DMS before declaring: the same hand-off, without warnings
    payload["vehicle"].update(vin=factory.handoff()["vehicle"]["vin"], plate="ab 123 cd", version="1.2 PureTech")
    payload["customer"].update(postcode="75001", email="client@example.fr", mobile="06 12 34 56 78")
    payload["sale"]["delivery_date"] = sold.isoformat()
    again = api.post("/api/v1/handoffs", json=payload)
    assert again.status_code == 200 and again.json()["warnings"] == []
    assert again.json()["bdc_number"] == response.json()["bdc_number"]


def test_the_seed_ds9_order_of_pvo2_is_accepted_with_a_plate_warning(stack, tmp_path):
    from simulators.pvo2.declaring import handoff_payload
    from tests.pvo2.conftest import make_pvo2, order, site
    pvo2 = make_pvo2(tmp_path, {"centralisateur": stack.url("centralisateur")})
    try:
        payload = handoff_payload(order(pvo2, 7400061), site(pvo2), None)
    finally:
        pvo2.extensions["harness_stop"]()
    assert payload["vehicle"]["plate"] == "CC333C1" and payload["vehicle"]["brand"] == "DS"
    # a DMS order of its own: the stack's PVO2 may hand the seed's order 7400061 off in another test
    payload["dms_order_ref"] = f"7400061-{zlib.crc32(str(tmp_path).encode())}"
    with api_client(stack, "pvo2") as client:
        response = client.post("/api/v1/handoffs", json=payload)
    assert response.status_code == 201
    warnings = {w["field"]: w["message"] for w in response.json()["warnings"]}
    assert warnings["vehicle.plate"].startswith("« Immatriculation* » : L'immatriculation doit être au format")
    assert warnings["customer.consent"].startswith("« Consentement du client (FOCUS)* » : champ absent")


@pytest.mark.parametrize("reason,field,words", [
    ("brand", "vehicle.brand", "la marque TATA ne fait pas partie des marques admises"),
    ("power", "vehicle.din_power", "801 ch DIN dépasse la puissance maximale admise de 800 ch DIN"),
    ("usage", "vehicle.usage", "sont exclus"),
    ("ptac", "vehicle.ptac_kg", "supérieur à 3,5 t"),
])
def test_ineligible_vehicle_is_refused_naming_the_rule_and_nothing_is_stored(api, factory, reason, field, words):
    payload = factory.handoff(vehicle=factory.vehicle(refusal=reason))
    response = api.post("/api/v1/handoffs", json=payload)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == field and words in error["message"]
    payload["vehicle"] = factory.vehicle()  # the same order, now eligible, is a new hand-off
    assert api.post("/api/v1/handoffs", json=payload).status_code == 201


def test_openapi_document_is_generated_from_the_models(api):
    doc = httpx.get(str(api.base_url) + "/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {"/api/v1/handoffs", "/api/v1/declarations/{bdc_number}"}
    handoff = doc["components"]["schemas"]["HandoffIn"]
    assert set(handoff["required"]) == {"source_dms", "dms_order_ref", "dealer", "customer", "vehicle"}
    assert {"seller", "sale", "warranty", "callback_url"} <= set(handoff["properties"])
    assert "usage" in doc["components"]["schemas"]["Vehicle"]["properties"]
    callback = doc["webhooks"]["declarationState"]["post"]
    assert {p["name"] for p in callback["parameters"] if p["in"] == "header" and p["required"]} == {
        "X-Spoticar-Signature", "X-Spoticar-Timestamp", "X-Spoticar-Delivery"}
    assert callback["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/DeclarationState")
    assert {"401", "409"} <= set(callback["responses"])
    receipt = doc["components"]["schemas"]["HandoffReceipt"]["properties"]["warnings"]
    assert receipt["items"]["$ref"].endswith("/HandoffWarning")
    assert set(doc["components"]["schemas"]["HandoffWarning"]["required"]) == {"field", "message"}
    assert "Immatriculation*" in doc["paths"]["/api/v1/handoffs"]["post"]["responses"]["201"]["description"]


def test_fifty_concurrent_handoffs_get_fifty_distinct_numbers(stack, factory):
    payloads = [factory.handoff() for _ in range(50)]
    with api_client(stack) as client, cf.ThreadPoolExecutor(16) as pool:
        responses = list(pool.map(lambda p: client.post("/api/v1/handoffs", json=p), payloads))
    assert [r.status_code for r in responses] == [201] * 50
    assert len({r.json()["bdc_number"] for r in responses}) == 50


def test_same_order_sent_concurrently_is_one_handoff(stack, factory):
    payload = factory.handoff()
    with api_client(stack) as client, cf.ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda _: client.post("/api/v1/handoffs", json=payload), range(8)))
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.json()["bdc_number"] for r in responses}) == 1


def test_same_declaration_submitted_concurrently_creates_one_contract(stack, api, factory):
    receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
    browser, url, values = open_form(stack, receipt["declaration_url"])
    with cf.ThreadPoolExecutor(6) as pool:
        pages = list(pool.map(lambda _: browser.post(url, data=values), range(6)))
    assert all(p.status_code == 200 and p.url.path.endswith("/confirmation") for p in pages)
    state = api.get(f"/api/v1/declarations/{receipt['bdc_number']}").json()
    assert state["status"] == "declared" and len(state["contract_number"]) == 11
    contracts = icare_contracts(stack, bdc_number=receipt["bdc_number"])
    assert [c["contract_number"] for c in contracts] == [state["contract_number"]]
    for p in pages:
        assert state["contract_number"] in p.text, p.text[-1500:]


def test_declared_sale_is_called_back_signed_with_the_dms_key(stack, api, factory):
    received = []
    receiver = Flask("dms-callback")

    @receiver.post("/callback")
    def callback():
        received.append((request.get_data(), dict(request.headers)))
        return "", 204

    with AppServer.bind().mount(receiver) as dms:
        allow_callback_origin(stack, dms.url)
        receipt = api.post("/api/v1/handoffs", json=factory.handoff(callback_url=dms.url + "/callback")).json()
        browser, url, values = open_form(stack, receipt["declaration_url"])
        browser.post(url, data=values)
        run_due_jobs(stack, until=lambda: received)  # now, not at the worker's next turn
    body, headers = received[0]
    keys = stack.credentials.dms_keys
    assert headers["X-Spoticar-Delivery"] and abs(int(headers["X-Spoticar-Timestamp"]) - time.time()) < 60
    state = verify_callback(headers, body, keys["tec3h"])
    assert state.bdc_number == receipt["bdc_number"] and state.status == "declared"
    assert state.contract_number == api.get(f"/api/v1/declarations/{receipt['bdc_number']}").json()["contract_number"]
    for key, forged in ((keys["pvo2"], body), (keys["tec3h"], body.replace(b"declared", b"refused"))):
        with pytest.raises(CallbackRejected) as refused:
            verify_callback(headers, forged, key)
        assert refused.value.status == 401 and "signature" in refused.value.message
    assert json.loads(body)["garantisseur"] == "stellantis"
