"""Statistiques, Facturation and RGPD for a dealer whose sales the test made itself."""
from __future__ import annotations

import datetime as dt
import html
import json
import re

import httpx
import pytest

from centralisateur.backoffice import month_label
from centralisateur.profile import GARANTISSEUR_NAMES
from harness.testing import call_test_route, new_dealer
from tests.centralisateur.support import CSRF_RE, api_client, open_form
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur


@pytest.fixture
def dealer_with_sales(stack, factory):
    """A fresh tec3h dealer with 2 Stellantis and 1 Auto Garantie declarations, logged in."""
    dealer = new_dealer(stack, factory, profile_configured=True, use_stellantis=True, use_auto=True)
    payloads = [factory.handoff(rrdi=dealer["rrdi"]) for _ in range(3)]
    with api_client(stack) as api:
        for payload, garantisseur in zip(payloads, ("stellantis", "stellantis", "auto")):
            receipt = api.post("/api/v1/handoffs", json=payload).json()
            browser, url, values = open_form(stack, receipt["declaration_url"], garantisseur=garantisseur)
            assert "Votre demande a été effectuée avec succès" in browser.post(url, data=values).text
    return dealer, payloads, _logged_in(stack, dealer)


def _logged_in(stack, dealer: dict) -> httpx.Client:
    """A browser logged in to the centralisateur as ``dealer``."""
    browser = httpx.Client(verify=tls_context(), base_url=stack.url("centralisateur"), follow_redirects=True, timeout=20)
    token = CSRF_RE.search(browser.get("/connexion").text).group(1)
    browser.post("/connexion", data={"csrf_token": token, "email": dealer["login"], "password": dealer["password"]})
    return browser


def _cells(page: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
            for r in rows]


def test_statistics_count_by_month_and_warranty_with_a_chart(dealer_with_sales):
    _, _, browser = dealer_with_sales
    page = browser.get("/statistiques").text
    this_month = month_label(dt.date.today().strftime("%Y-%m"))
    assert [this_month, "2", "1", "0", "3"] in _cells(page)
    assert '<svg role="img"' in page and "Ventes déclarées par mois et par garantie commerciale" in page
    assert f"{this_month} — Garantie SPOTICAR Stellantis : 2" in page


def test_billing_shows_npo_fees_of_the_month(dealer_with_sales):
    _, _, browser = dealer_with_sales
    page = browser.get("/facturation").text
    this_month = month_label(dt.date.today().strftime("%Y-%m"))
    assert [this_month, "3", "75,00 €", "15,00 €", "90,00 €"] in _cells(page)


def _dealer_declaring(stack, factory, months_back: list[int]) -> httpx.Client:
    """A fresh dealer whose declared sales (Garantie SPOTICAR Stellantis) are dated ``months_back``
    months before this one (the 15th, through the test route), logged in."""
    dealer = new_dealer(stack, factory, profile_configured=True, use_stellantis=True, use_auto=True)
    today = dt.date.today()
    with api_client(stack) as api:
        for back in months_back:
            receipt = api.post("/api/v1/handoffs", json=factory.handoff(rrdi=dealer["rrdi"])).json()
            browser, url, values = open_form(stack, receipt["declaration_url"])
            assert "Votre demande a été effectuée avec succès" in browser.post(url, data=values).text
            year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
            dated = call_test_route(stack, "centralisateur", "POST", f"/declarations/{receipt['bdc_number']}/declared-at",
                                    json={"declared_at": f"{year:04d}-{month + 1:02d}-15T10:00:00"})
            assert dated.status_code == 200, dated.text
    return _logged_in(stack, dealer)


def _month(back: int) -> str:
    today = dt.date.today()
    year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
    return month_label(f"{year:04d}-{month + 1:02d}")


def _month_rows(page: str) -> list[list[str]]:
    return [row for row in _cells(page) if row and re.fullmatch(r"[a-zéû]+ \d{4}", row[0])]


def test_billing_lists_every_month_with_sales_newest_first_and_skips_the_others(stack, factory):
    """Two sales this month, one two months ago (none last month), one two years and a month ago."""
    browser = _dealer_declaring(stack, factory, [0, 0, 2, 25])
    rows = _month_rows(browser.get("/facturation").text)
    assert rows == [[_month(0), "2", "50,00 €", "10,00 €", "60,00 €"],
                    [_month(2), "1", "25,00 €", "5,00 €", "30,00 €"],
                    [_month(25), "1", "25,00 €", "5,00 €", "30,00 €"]]


def test_statistics_show_the_latest_twelve_months_that_have_sales(stack, factory):
    """Sales in 13 months (none last month): the table holds the latest 12 of them, not the 13th."""
    browser = _dealer_declaring(stack, factory, [0, *range(2, 14)])
    months = [row[0] for row in _month_rows(browser.get("/statistiques").text)]
    assert sorted(months) == sorted([_month(0), *(_month(back) for back in range(2, 13))])
    assert _month(1) not in months and _month(13) not in months


def test_pages_counting_by_month_read_a_history_of_more_than_ten_years(stack, factory):
    """A sale 11 years ago and one this month: both months are counted (a long history is grouped in
    one query, not month by month)."""
    browser = _dealer_declaring(stack, factory, [0, 132])
    assert [row[:2] for row in _month_rows(browser.get("/facturation").text)] == [[_month(0), "1"], [_month(132), "1"]]
    assert sorted(row[0] for row in _month_rows(browser.get("/statistiques").text)) == sorted([_month(0), _month(132)])


def test_rgpd_export_then_erase_leaves_no_personal_data_in_the_store(stack, dealer_with_sales):
    dealer, payloads, browser = dealer_with_sales
    customer = payloads[0]["customer"]
    page = browser.get("/rgpd", params={"recherche": customer["last_name"]}).text
    ids = re.findall(r'name="declaration" value="(\d+)"', page)
    token = CSRF_RE.search(page).group(1)
    exported = browser.post("/rgpd/export", data={"csrf_token": token, "declaration": ids})
    assert exported.headers["content-disposition"].startswith("attachment")
    data = json.loads(exported.text)
    [record] = [r for r in data["declarations"] if r["customer"]["email"] == customer["email"]]
    assert record["customer"]["last_name"] == customer["last_name"]
    assert record["customer"]["birth_date"] == customer["birth_date"]
    contract_number = record["contract_number"]

    refused = browser.post("/rgpd/effacer", data={"csrf_token": token, "declaration": ids})
    assert "confirmez l'effacement" in html.unescape(refused.text)
    done = browser.post("/rgpd/effacer", data={"csrf_token": token, "declaration": ids, "confirmation": "oui"})
    assert "Données personnelles effacées" in done.text

    home = browser.get("/").text
    assert contract_number in home and customer["last_name"] not in home
    with api_client(stack) as api:
        state = api.get(f"/api/v1/declarations/{record['bdc_number']}").json()
    assert state["contract_number"] == contract_number and state["status"] == "declared"
    raw = call_test_route(stack, "centralisateur", "GET", "/store").content
    for value in (customer["email"], customer["mobile"], customer["phone"], customer["address"]):
        assert value.encode() not in raw, value
    assert payloads[1]["customer"]["email"].encode() in raw  # the other customers are untouched
    # the search forgets the erased customer too (its folded copy went with the data)
    searched = browser.get("/rgpd", params={"recherche": customer["email"]}).text
    assert re.findall(r'name="declaration" value="(\d+)"', searched) == []


def test_rgpd_search_needs_two_characters(dealer_with_sales):
    _, _, browser = dealer_with_sales
    response = browser.get("/rgpd", params={"recherche": "a"})
    assert response.status_code == 422 and "Saisissez au moins 2 caractères." in response.text


def test_accueil_lists_the_dealers_declarations_with_their_links(dealer_with_sales):
    """Accueil's rows (values read in SQL from the declared form) and their links to the declaration
    and its exchanges, newest first."""
    _dealer, payloads, browser = dealer_with_sales
    page = browser.get("/").text
    rows = [r for r in _cells(page) if r and r[0].startswith("SP")]
    assert len(rows) == 3
    newest = payloads[-1]
    assert rows[0][3].split()[0] == newest["customer"]["last_name"]
    assert rows[0][4] == newest["vehicle"]["plate"]
    assert [r[5] for r in rows] == [GARANTISSEUR_NAMES[g] for g in ("auto", "stellantis", "stellantis")]
    for bdc in (r[0] for r in rows):
        assert f'href="/declarations/{bdc}"' in page and f'href="/declarations/{bdc}/echanges"' in page
        assert browser.get(f"/declarations/{bdc}/echanges").status_code == 200


def test_accueil_pager_links_first_last_and_pages_around_the_current_one():
    from centralisateur.home import pager
    assert pager(1, 1) == [1]
    assert pager(1, 2000) == [1, 2, 3, 4, None, 2000]
    assert pager(1000, 2000) == [1, None, 997, 998, 999, 1000, 1001, 1002, 1003, None, 2000]
    assert pager(5, 9) == list(range(1, 10))


def test_rgpd_search_follows_a_correction_of_a_pending_handoff(stack, factory, dealer_with_sales):
    """A DMS that sends the same order again with the customer corrected: the search finds the
    declaration by the corrected name, no longer by the old one."""
    dealer, _, browser = dealer_with_sales
    payload = factory.handoff(rrdi=dealer["rrdi"])
    old_name = payload["customer"]["last_name"]
    with api_client(stack) as api:
        assert api.post("/api/v1/handoffs", json=payload).status_code == 201

        def found(name: str) -> list[str]:
            page = browser.get("/rgpd", params={"recherche": name}).text
            return re.findall(r'name="declaration" value="(\d+)"', page)

        [declaration] = found(old_name)  # searched once: its folded copy is written
        corrected = {**payload, "customer": {**payload["customer"], "last_name": "Zyxwvutsrqponm",
                                             "email": "zyxwvutsrqponm@example.fr"}}
        assert api.post("/api/v1/handoffs", json=corrected).status_code == 200
    assert found("Zyxwvutsrqponm") == [declaration]
    assert declaration not in found(old_name)


def test_rgpd_search_finds_the_name_as_declared_in_form_2_3(stack, factory, dealer_with_sales):
    """The dealer corrects the customer's name in form 2/3: the search finds the declared name."""
    dealer, _, browser = dealer_with_sales
    payload = factory.handoff(rrdi=dealer["rrdi"])
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=payload).json()
    page = browser.get("/rgpd", params={"recherche": payload["customer"]["email"]}).text
    [declaration] = re.findall(r'name="declaration" value="(\d+)"', page)  # searched: its copy is written
    form_browser, url, values = open_form(stack, receipt["declaration_url"], garantisseur="stellantis")
    values["last_name"] = "Qwertzuiopasdf"
    assert "Votre demande a été effectuée avec succès" in form_browser.post(url, data=values).text
    page = browser.get("/rgpd", params={"recherche": "qwertzuiopasdf"}).text
    assert re.findall(r'name="declaration" value="(\d+)"', page) == [declaration]
