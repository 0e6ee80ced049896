"""The header search « Immatriculation, n° contrat, n° accord » and LISTE DEVIS ET CONTRATS."""
from __future__ import annotations

import pytest

from simulators.icare.portal_views import parse_search
from tests.icare.conftest import api_sale, become_admin, log_in

pytestmark = pytest.mark.icare


@pytest.mark.parametrize("typed, expected", [
    ("AB-123-CD", ("plate", "AB-123-CD")),
    (" ab123cd ", ("plate", "AB-123-CD")),
    ("22511015251", ("number", "22511015251")),
    ("sp953617z103833712", ("accord", "SP953617Z103833712")),
    ("", None), ("AB-12-CD", None), ("<script>", None), ("1" * 500, None),
])
def test_parse_search(typed, expected):
    assert parse_search(typed) == expected


@pytest.fixture
def admin(client, app):
    email = become_admin(client, app, "FR10350")
    log_in(client, email)
    return email


def test_contract_created_by_the_api_is_found_by_plate_number_and_accord(client, admin, factory):
    contract = api_sale(client, factory, "FR10350")
    plate, number = contract["vehicle"]["plate"], contract["contract_number"]
    for query in (plate, plate.replace("-", "").lower(), number, contract["bdc_number"]):
        html = client.get("/recherche", query_string={"q": query}).get_data(as_text=True)
        assert number in html and plate in html and contract["customer"]["last_name"] in html


def test_another_dealers_contract_is_not_found(client, admin, factory):
    other = api_sale(client, factory, "953617Z")
    html = client.get("/recherche", query_string={"q": other["contract_number"]}).get_data(as_text=True)
    assert "Aucun contrat ne correspond" in html and other["vehicle"]["plate"] not in html
    assert client.get(f"/contrats/{other['contract_number']}").status_code == 404


@pytest.mark.parametrize("query", ["", "n'importe quoi", "<script>alert(1)</script>", "x" * 300])
def test_malformed_search_is_a_clear_400(client, admin, query):
    response = client.get("/recherche", query_string={"q": query})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Saisissez une immatriculation" in html and "<script>alert" not in html


def test_contract_list_and_detail(client, admin, factory):
    first, second = api_sale(client, factory, "FR10350"), api_sale(client, factory, "FR10350")
    html = client.get("/contrats").get_data(as_text=True)
    assert html.index(second["contract_number"]) < html.index(first["contract_number"])  # newest first
    filtered = client.get("/contrats", query_string={"filtre": first["vehicle"]["plate"]}).get_data(as_text=True)
    assert first["contract_number"] in filtered and second["contract_number"] not in filtered
    detail = client.get(f"/contrats/{first['contract_number']}").get_data(as_text=True)
    assert first["vehicle"]["vin"] in detail and first["bdc_number"] in detail


def test_menu_pages_answer(client, admin):
    home = client.get("/accueil").get_data(as_text=True)
    for entry in ("ACCUEIL", "LISTE DEVIS ET CONTRATS", "PRISE EN CHARGE ATELIER", "EASICARE", "DOCUMENTS",
                  "GESTION DES COMPTES", "Immatriculation, n° contrat, n° accord", "info@garantiestellantis.fr"):
        assert entry in home
    for path in ("/prise-en-charge", "/easicare", "/documents", "/gestion-des-comptes"):
        assert client.get(path).status_code == 200
