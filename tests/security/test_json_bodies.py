"""JSON bodies an outside campaign sends to the APIs: a key named twice in one object (RFC 8259 leaves
its meaning open: one parser keeps the first value, another the last) is a French 400 and stores
nothing — on the hand-off API (its lean path too), Icare's APIs and every DMS's signed callback —
while the same key in two different objects stays normal; numbers no one can mean (5,000 digits,
1e999999, NaN) and amounts only Python reads (« １０５００ », « 1_000 ») are refused in French, never a
500."""
from __future__ import annotations

import json
import uuid

import httpx
import pytest

from spoticar_handoff import CALLBACK_PATH, sign_callback

pytestmark = pytest.mark.centralisateur

TWICE = ("Le corps JSON de la requête contient deux fois la même clé dans un objet : chaque clé ne peut y "
         "figurer qu'une fois.")


def _api(stack) -> httpx.Client:
    return httpx.Client(base_url=stack.url("centralisateur"), timeout=30, headers={
        "Authorization": f"Bearer {stack.credentials.dms_key('tec3h')}", "Content-Type": "application/json"})


def test_a_handoff_naming_a_key_twice_is_refused_and_stores_nothing(stack, factory):
    body = factory.handoff(rrdi="953617Z")
    other = factory.handoff(rrdi="953617Z")["vehicle"]
    text = json.dumps(body)
    with _api(stack) as api:
        for twice in (text[:-1] + ", " + json.dumps({"vehicle": other})[1:],  # a second, complete vehicle
                      text.replace('"vehicle": {', '"vehicle": {"vin": "VF3XXXXXXXXXXXXXX", ', 1)):
            refused = api.post("/api/v1/handoffs", content=twice.encode())
            assert refused.status_code == 400, refused.text[:300]
            assert refused.json()["errors"][0]["message"] == TWICE
        created = api.post("/api/v1/handoffs", content=text.encode())  # the first sending of this order
        assert created.status_code == 201, created.text[:300]


@pytest.mark.parametrize("number,status,message", [
    ("9" * 5000, 400, "Le corps de la requête n'est pas un JSON valide."),
    ("1e999999", 422, "Doit être un nombre fini."),
    ("NaN", 422, "Doit être un nombre fini."),
    ("12.5", 422, "Doit être un nombre entier."),
])
def test_a_handoff_with_a_number_no_one_can_mean_is_refused_in_french(stack, factory, number, status, message):
    body = factory.handoff(rrdi="953617Z")
    text = json.dumps(body).replace(f'"mileage_km": {body["vehicle"]["mileage_km"]}', f'"mileage_km": {number}')
    with _api(stack) as api:
        refused = api.post("/api/v1/handoffs", content=text.encode())
    assert refused.status_code == status and refused.json()["errors"][0]["message"] == message


AMOUNT = "Doit être un montant (ex. « 10290.76 »)."
DATE = "Doit être une date au format AAAA-MM-JJ."


@pytest.mark.parametrize("field,value,message", [
    # Arabic-Indic or full-width digits, « _ », an exponent, a sign or spaces: Python's Decimal takes
    # them all, a DMS's parser may read them otherwise
    *(("price_ttc", amount, AMOUNT) for amount in ("\u0661\u0660\u0665\u0660\u0660", "\uff11\uff10\uff15\uff10\uff10",
                                                    "1_000", " 10500 ", "1e3", "+10500", ".5", "10500.")),
    # a midnight with an offset is the day before in UTC for a parser that converts it
    *(("sale_date", date, DATE) for date in ("2026-11-19T00:00:00+02:00", "2026-11-19T00:00:00",
                                             "2026-11-19 00:00", "\uff12\uff10\uff12\uff16-11-19")),
])
def test_a_handoff_amount_or_date_is_written_the_one_way_every_parser_reads(stack, factory, field, value, message):
    """An amount is « 10290.76 », a date « AAAA-MM-JJ » alone, else a French 422 naming the field."""
    body = factory.handoff(rrdi="953617Z")
    body["sale"][field] = value
    with _api(stack) as api:
        refused = api.post("/api/v1/handoffs", content=json.dumps(body).encode())
    assert refused.status_code == 422, refused.text[:300]
    assert {"field": f"sale.{field}", "message": message} in refused.json()["errors"]


def test_icare_api_refuses_a_key_named_twice(stack):
    refused = httpx.post(stack.url("icare") + "/api/v1/npo", timeout=30,
                         content=b'{"bdc_number": "SP953617Z103833712", "bdc_number": "SP953617Z103833799"}',
                         headers={**stack.credentials.icare_headers(), "Content-Type": "application/json"})
    assert refused.status_code == 400 and refused.json()["errors"][0]["message"] == TWICE


@pytest.mark.parametrize("dms", ["pvo2", "tec3h", "bee2link", "neovo"])
def test_a_signed_callback_naming_a_key_twice_is_refused(stack, dms):
    body = b'{"bdc_number": "SP953617Z103833712", "status": "declared", "status": "cancelled"}'
    headers = {"Content-Type": "text/plain",  # whatever it is declared as, the body is JSON
               **sign_callback(body, stack.credentials.dms_key(dms), uuid.uuid4().hex)}
    refused = httpx.post(stack.url(dms) + CALLBACK_PATH, content=body, headers=headers, timeout=30)
    assert refused.status_code == 400
    assert TWICE in refused.text or TWICE.replace("'", "&#39;") in refused.text


@pytest.mark.parametrize("field,value", [("duration_months", "12"), ("duration_months", True),
                                         ("duration_months", "1_2"), ("mileage_km", " 12000 ")])
def test_icare_contract_api_takes_integers_as_json_numbers(stack, factory, field, value):
    """As on the hand-off API: a boolean, or digits in a string (« 1_2 », spaces around), are not an
    integer read silently — a French 422 naming the field, and no contract."""
    from tests.test_icare_contract_api import _contract_body
    bdc = f"SP953617Z{factory.rng.randint(900_000_000, 999_999_999)}"
    body = _contract_body(factory, bdc)
    (body["vehicle"] if field == "mileage_km" else body)[field] = value
    with httpx.Client(base_url=stack.url("icare"), headers=stack.credentials.icare_headers(), timeout=30) as icare:
        refused = icare.post("/api/v1/contracts", json=body)
        assert refused.status_code == 422, refused.text[:300]
        path = f"vehicle.{field}" if field == "mileage_km" else field
        assert {"field": path, "message": "Doit être un nombre entier."} in refused.json()["errors"]
        assert icare.get("/api/v1/contracts", params={"plate": body["plate"]}).json()["contracts"] == []


ENCODING = ("Le corps JSON de la requête doit être encodé en UTF-8, sans marque d'ordre des octets (BOM) en "
            "tête (RFC 8259).")


@pytest.mark.parametrize("encode", [lambda text: text.encode("utf-16"), lambda text: text.encode("utf-16-le"),
                                    lambda text: text.encode("utf-32"), lambda text: b"\xef\xbb\xbf" + text.encode()],
                         ids=["utf-16", "utf-16-le", "utf-32", "utf-8-bom"])
def test_a_body_not_in_utf8_is_refused_as_such(stack, factory, encode):
    """A hand-off (its lean path too) or an Icare contract written in UTF-16/32 or behind a BOM: a 400
    saying to write UTF-8, not « a NUL character » (UTF-16's zero bytes) nor « no JSON », and nothing stored."""
    handoff = factory.handoff(rrdi="953617Z")
    with _api(stack) as api:
        refused = api.post("/api/v1/handoffs", content=encode(json.dumps(handoff)))
        assert refused.status_code == 400, refused.text[:300]
        assert refused.json()["errors"][0]["message"] == ENCODING
        assert api.post("/api/v1/handoffs", content=json.dumps(handoff).encode()).status_code == 201
    icare = httpx.post(stack.url("icare") + "/api/v1/npo", timeout=30, content=encode('{"bdc_number": "x"}'),
                       headers={**stack.credentials.icare_headers(), "Content-Type": "application/json"})
    assert icare.status_code == 400 and icare.json()["errors"][0]["message"] == ENCODING


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_a_body_in_latin1_is_refused_naming_its_first_byte(stack, factory, codec):
    """A hand-off (its lean path too) or an Icare request written in ISO-8859-1 or Windows-1252, « é » as
    the single byte 0xE9: a 400 saying it is no UTF-8 and which byte, not « no valid JSON », and nothing
    stored — the same order sent in UTF-8 is then a new one."""
    handoff = factory.handoff(rrdi="953617Z")
    handoff["customer"]["last_name"] = "NAME"
    text = json.dumps(handoff).replace('"NAME"', '"Hélène"')  # the other accents written as \u escapes
    number = text.encode(codec).index(b"\xe9") + 1
    wanted = (f"Le corps JSON de la requête n'est pas de l'UTF-8 valide : l'octet n° {number} (0xE9) n'en est pas "
              "(un texte encodé en ISO-8859-1 ou Windows-1252 ?). Il doit être encodé en UTF-8 (RFC 8259).")
    with _api(stack) as api:
        refused = api.post("/api/v1/handoffs", content=text.encode(codec))
        assert refused.status_code == 400, refused.text[:300]
        assert refused.json()["errors"] == [{"field": None, "message": wanted}]
        created = api.post("/api/v1/handoffs", content=text.encode())
        assert created.status_code == 201, created.text[:300]
    icare = httpx.post(stack.url("icare") + "/api/v1/npo", timeout=30, content='{"bdc_number": "é"}'.encode(codec),
                       headers={**stack.credentials.icare_headers(), "Content-Type": "application/json"})
    assert icare.status_code == 400, icare.text[:300]
    assert icare.json()["errors"][0]["message"] == wanted.replace(f"n° {number} ", "n° 17 ")


@pytest.mark.parametrize("body", [b"[]", b"[{}]", b'"vente"', b"42", b"true"])
def test_a_body_that_is_not_an_object_names_no_field(stack, body):
    """The body itself is wrong, not a field of it: ``field`` is null, as in every other error of the
    API (it was "", which a DMS showing ``errors[].field`` printed as an empty label)."""
    with _api(stack) as api:
        refused = api.post("/api/v1/handoffs", content=body)
    icare = httpx.post(stack.url("icare") + "/api/v1/contracts", timeout=30, content=body,
                       headers={**stack.credentials.icare_headers(), "Content-Type": "application/json"})
    for answer in (refused, icare):
        assert answer.status_code in (400, 422), answer.text[:300]
        errors = answer.json()["errors"]
        assert errors and all(e["field"] is None and e["message"] for e in errors), errors


def test_a_body_of_countless_values_is_refused_before_any_parser_reads_it(stack, factory):
    """300,000 empty arrays in 900 kB: parsed and validated twice, each such hand-off took seconds of CPU
    and left the process hundreds of MB larger. Counted on the raw bytes, it is a French 413 on the API,
    Icare's and any other route; a hand-off far richer than any DMS sends is still taken."""
    from common.json_checks import TOO_MANY_VALUES
    flood = b'{"a":[' + b"[]," * 300_000 + b"[]]}"
    with _api(stack) as api:
        for path in ("/api/v1/handoffs", "/nulle-part"):
            refused = api.post(path, content=flood)
            assert refused.status_code == 413, refused.text[:300]
            assert refused.json()["errors"][0]["message"] == TOO_MANY_VALUES
        body = factory.handoff()
        body["customer"]["consent"] = ["email", "sms"]
        text = json.dumps(body)
        # commas inside texts are no values: a text full of them is no flood (it is refused for its length)
        assert api.post("/api/v1/handoffs", content=text.replace('"seller": ', '"seller": "' + "," * 20_000 + '", "x": ', 1)
                        .encode()).status_code == 422
        assert api.post("/api/v1/handoffs", content=text.encode()).status_code == 201
    icare = httpx.post(stack.url("icare") + "/api/v1/contracts", timeout=30, content=flood,
                       headers={**stack.credentials.icare_headers(), "Content-Type": "application/json"})
    assert icare.status_code == 413 and icare.json()["errors"][0]["message"] == TOO_MANY_VALUES


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "identity, gzip"])
def test_a_compressed_body_is_refused_as_such(stack, factory, coding):
    """RFC 9110: a content coding the server does not apply is a 415 saying so — a gzipped hand-off was told
    its body was no UTF-8, and one labelled « br » but sent plain was taken as is."""
    import gzip
    body = json.dumps(factory.handoff()).encode()
    with _api(stack) as api:
        for content in (gzip.compress(body), body):
            refused = api.post("/api/v1/handoffs", content=content, headers={"Content-Encoding": coding})
            assert refused.status_code == 415, refused.text[:300]
            assert refused.json()["errors"][0]["message"].startswith(
                f"Content-Encoding non pris en charge : {coding.removeprefix('identity, ')}. Envoyez le corps")
        icare = httpx.post(stack.url("icare") + "/api/v1/npo", timeout=30, content=b'{"bdc_number": "x"}',
                           headers={**stack.credentials.icare_headers(), "Content-Type": "application/json",
                                    "Content-Encoding": coding})
        assert icare.status_code == 415
        assert api.post("/api/v1/handoffs", content=body, headers={"Content-Encoding": "identity"}).status_code == 201
