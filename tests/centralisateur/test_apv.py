"""Réception APV: the after-sales reception finds a vehicle's Spoticar warranty among the dealer's
declared sales — by plate (as typed), VIN or contract number — and says whether it covers the vehicle."""
from __future__ import annotations

import html
import re

import pytest

from tests.centralisateur.test_backoffice import dealer_with_sales  # noqa: F401  (the fixture)

pytestmark = pytest.mark.centralisateur


def _shown(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def test_reception_apv_finds_a_declared_warranty_by_plate_vin_or_contract(dealer_with_sales):
    _, payloads, browser = dealer_with_sales
    vehicle, customer = payloads[0]["vehicle"], payloads[0]["customer"]
    menu = browser.get("/").text
    assert 'href="/reception-apv"' in menu and "Non simulé" not in menu
    by_plate = browser.get("/reception-apv", params={"recherche": vehicle["plate"].replace("-", " ").lower()})
    page = _shown(by_plate)
    assert by_plate.status_code == 200 and vehicle["plate"] in page and customer["last_name"] in page
    assert "Garantie en cours" in page and "PRISE EN CHARGE ATELIER" in page
    contract = re.search(r"<td>([0-9]{11})</td>", by_plate.text).group(1)
    assert vehicle["plate"] in _shown(browser.get("/reception-apv", params={"recherche": contract}))
    assert contract in _shown(browser.get("/reception-apv", params={"recherche": vehicle["vin"].lower()}))


def test_reception_apv_says_when_nothing_is_found_and_needs_a_value(dealer_with_sales):
    _, _, browser = dealer_with_sales
    page = _shown(browser.get("/reception-apv", params={"recherche": "ZZ-999-ZZ"}))
    assert "Aucune garantie Spoticar déclarée par votre point de vente pour « ZZ-999-ZZ »." in page
    empty = browser.get("/reception-apv", params={"recherche": " "})
    assert empty.status_code == 422 and "Immatriculation, VIN ou N° de contrat" in _shown(empty)
    hostile = browser.get("/reception-apv", params={"recherche": "<script>x</script>"})
    assert "<script>x</script>" not in hostile.text


def test_reception_apv_needs_a_login(stack):
    import httpx
    response = httpx.get(stack.url("centralisateur") + "/reception-apv", timeout=20)
    assert response.status_code in (302, 303) and "/connexion" in response.headers["location"]
