"""No input reaches a 500: every number, date and JSON body goes through common.parsing / the depth
bound, on the centralisateur and Icare (real stack over HTTP)."""
from __future__ import annotations

import html
import json

import httpx
import pytest

from fixtures import reference
from fixtures.icare_factories import icare_sale
from tests.centralisateur.support import CSRF_RE, api_client, api_headers, login, refused_on_form

pytestmark = pytest.mark.centralisateur

DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize("field,value,words", [
    ("din_power", "²", "Le champ puissance din doit être un nombre entier"),
    ("mileage_km", "³", "doit être un nombre entier"),
    ("start_date", "31/12/9999", "doit être une date entre 1900 et 2100"),
])
def test_form_2_3_refuses_unicode_digits_and_far_dates_in_french(stack, factory, field, value, words):
    page, _ = refused_on_form(stack, factory.handoff(), **{field: value})
    assert words.lower() in page.lower() and f'value="{value}"' in page


def test_api_refuses_a_warranty_starting_in_year_9999(stack, factory):
    handoff = factory.handoff()
    handoff["warranty"]["start_date"] = "9999-12-31"
    with api_client(stack) as api:
        response = api.post("/api/v1/handoffs", json=handoff)
    assert response.status_code == 422
    assert {"field": "warranty.start_date",
            "message": "La valeur doit être une date entre 1900 et 2100."} in response.json()["errors"]


@pytest.mark.parametrize("page", ["99999999999999999999", "²", "-3"])
def test_home_page_number_is_read_by_the_parsing_layer(stack, page):
    response = login(stack).get(f"/?page={page}")
    assert response.status_code == 400 and "Paramètre « page »" in html.unescape(response.text)


@pytest.mark.parametrize("action", ["export", "effacer"])
@pytest.mark.parametrize("value", ["²", "99999999999999999999"])
def test_rgpd_declaration_ids_are_read_by_the_parsing_layer(stack, action, value):
    browser = login(stack)
    token = CSRF_RE.search(browser.get("/rgpd").text).group(1)
    response = browser.post(f"/rgpd/{action}", data={"csrf_token": token, "declaration": value,
                                                     "confirmation": "oui"})
    assert response.status_code == 400 and "« declaration »" in html.unescape(response.text)


@pytest.mark.parametrize("app,path,method", [
    ("centralisateur", "/api/v1/handoffs", "POST"),
    ("icare", "/api/v1/npo", "POST"),
    ("icare", "/api/v1/contracts", "POST"),
    ("icare", "/admin/faults", "PUT"),
])
def test_json_nested_1000_deep_is_a_french_400(stack, app, path, method):
    response = httpx.request(method, stack.url(app) + path, content=DEEP, timeout=20,
                             headers={"Content-Type": "application/json",
                                      **(api_headers(stack) if app == "centralisateur"
                                         else stack.credentials.icare_headers())})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "JSON trop imbriqué : au plus 32 niveaux."


def test_icare_refuses_a_contract_starting_in_year_9999(stack, factory):
    npo, contract = icare_sale(factory, reference.demo_dealer("953617Z"))
    contract["start_date"] = "9999-12-31"
    response = httpx.post(stack.url("icare") + "/api/v1/contracts", content=json.dumps(contract),
                          headers={"Content-Type": "application/json", **stack.credentials.icare_headers()},
                          timeout=20)
    assert response.status_code == 422
    assert {"field": "start_date",
            "message": "La valeur doit être une date entre 1900 et 2100."} in response.json()["errors"]


def test_deep_json_is_a_french_400_while_an_icare_fault_waits_for_a_point_of_sale(stack, factory):
    """A fault for one point of sale makes Icare read each API call's ``rrdi`` before the app does:
    200,000 levels reached past Python's recursion limit there (a 500)."""
    base, headers = stack.url("icare"), stack.credentials.icare_headers()
    rrdi = factory.rrdi()
    assert httpx.put(base + "/admin/faults", json={"error_status": 503, "count": 1, "rrdi": rrdi},
                     timeout=20).status_code == 200
    deep = httpx.post(base + "/api/v1/npo", content="[" * 200_000 + "]" * 200_000, timeout=20,
                      headers={"Content-Type": "application/json", **headers})
    # the fault is still there for its point of sale: its one call takes it
    taken = httpx.post(base + "/api/v1/npo", json={"rrdi": rrdi}, headers=headers, timeout=20)
    assert deep.status_code == 400, deep.text[:300]
    assert deep.json()["errors"][0]["message"] == "JSON trop imbriqué : au plus 32 niveaux."
    assert taken.status_code == 503 and rrdi not in httpx.get(base + "/admin/faults", timeout=20).json()["dealers"]
