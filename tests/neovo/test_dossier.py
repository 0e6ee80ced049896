"""NeoVO through the Flask test client: the dossier page of the seed and Garantir (Chrome only)."""
import datetime as dt

import pytest
from sqlalchemy import select

from common.keys import demo_dms_keys
from spoticar_handoff import HandoffIn
from simulators.neovo.browser import CHROME_MESSAGE
from simulators.neovo.store import Dossier
from tests.dms_helpers import assert_refused_callbacks, csrf_token, signed_callback, text

DEMO_KEYS = demo_dms_keys()  # the apps under test run in demo mode

pytestmark = pytest.mark.neovo

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def dossier(app, number="V0000004") -> Dossier:
    with app.extensions["db"].transaction() as s:
        return s.scalar(select(Dossier).where(Dossier.number == number))


def garantir(client, number="V0000004", **headers):
    page = client.get(f"/dossiers/{number}", headers=headers)
    return client.post(f"/dossiers/{number}/garantir", headers=headers,
                       data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def test_dossier_page_is_the_seeds(client):
    assert 'class="link" >Garantir</button>' in client.get("/dossiers/V0000004").get_data(as_text=True)
    page = text(client.get("/dossiers/V0000004"))
    assert "VINVOPEU Dossier n°V0000004" in page
    assert "Vente - PEUGEOT 208 1.6 BlueHDi 75ch Active 5p" in page
    assert ("VISUALISATION DES PIECES DE VENTE Action Date N° Pièce Client H.T. T.V.A T.T.C "
            f"Retour {dt.date.today():%d/%m/%Y} 600349 ZAWADZKI VINCENT - 621239 16176,50 0,00 16176,50") in page
    assert "Retour MENU Facture Avoir Fac_Comp Proforma Dénonciation Visualisation Facturation Garantir" in page
    assert CHROME_MESSAGE not in page


@pytest.mark.parametrize("slug, shown", [("facture", "600349"), ("avoir", "Aucune pièce « Avoir »"),
                                         ("visualisation", "Spoticar-Premium 12 Mois")])
def test_piece_links_lead_to_their_page(client, slug, shown):
    response = client.get(f"/dossiers/V0000004/pieces/{slug}")
    assert response.status_code == 200 and shown in text(response)


def test_garantir_sends_the_sale_and_redirects_to_the_declaration(app, client, cds):
    response = garantir(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "http://cds.test/declaration/SP038421N000000001"
    sent = HandoffIn.model_validate(cds.handoffs[0])
    assert (sent.source_dms, sent.dms_order_ref, sent.dealer.rrdi) == ("neovo", "V0000004", "038421N")
    assert (sent.customer.last_name, sent.customer.first_name) == ("Zawadzki", "Vincent")
    assert (sent.vehicle.brand, sent.vehicle.model, sent.vehicle.version) == ("PEUGEOT", "208", "1.6 BlueHDi 75ch Active 5p")
    assert str(sent.sale.price_ttc) == "16176.50"
    assert dossier(app).bdc_number == "SP038421N000000001"


@pytest.mark.parametrize("ua", [FIREFOX, "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 "
                                          "(KHTML, like Gecko) Version/17.1 Safari/605.1.15",
                                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                                "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.51"])
def test_other_browsers_see_the_warning_and_the_server_refuses_to_declare(app, client, cds, ua):
    page = client.get("/dossiers/V0000004", headers={"User-Agent": ua})
    assert CHROME_MESSAGE in text(page)
    assert 'disabled aria-disabled="true">Garantir</button>' in page.get_data(as_text=True)
    response = garantir(client, **{"User-Agent": ua})
    assert response.status_code == 403
    assert CHROME_MESSAGE in text(response)
    assert cds.handoffs == [] and dossier(app).bdc_number is None


def test_chrome_hints_do_not_let_firefox_declare(app, client, cds):
    response = garantir(client, **{"User-Agent": FIREFOX, "Sec-CH-UA": '"Google Chrome";v="131"'})
    assert response.status_code == 403 and cds.handoffs == []


@pytest.mark.parametrize("mode, shown", [("down", "Le centralisateur Spoticar ne répond pas"),
                                         ("error", "Le centralisateur Spoticar est en erreur : la déclaration")])
def test_centralisateur_down_gives_a_clear_message_and_loses_nothing(app, client, cds, mode, shown):
    cds.mode = mode
    response = garantir(client)
    assert response.status_code == 503
    assert shown in text(response)
    assert "Le dossier n'a pas été modifié." in text(response)
    assert dossier(app).bdc_number is None
    cds.mode = "accept"
    assert garantir(client).status_code == 303


def test_refused_sale_shows_why(app, client, cds):
    cds.mode = "refuse"
    response = garantir(client)
    assert response.status_code == 422 and "Marque TATA non admise." in text(response)
    assert dossier(app).bdc_number is None


def test_dossier_shows_the_contract_by_polling_then_by_callback(app, client, cds):
    garantir(client)
    assert "En attente de déclaration" in text(client.get("/dossiers/V0000004"))
    cds.declare("SP038421N000000001", "22612000003")
    assert "Numéro de contrat : 22612000003" in text(client.get("/dossiers/V0000004"))
    garantir(client, "V0000001")
    state = cds.declare("SP038421N000000002", "22612000004")
    assert signed_callback(client, state, DEMO_KEYS["neovo"]).status_code == 200
    assert dossier(app, "V0000001").contract_number == "22612000004"
    assert signed_callback(client, state, DEMO_KEYS["bee2link"]).status_code == 401


def test_another_sites_dossier_is_not_found(app, client):
    with app.extensions["db"].transaction() as s:
        other = s.scalar(select(Dossier).where(Dossier.rrdi == "069870K"))
    assert client.get(f"/dossiers/{other.number}").status_code == 404
    assert client.get("/dossiers/V9999999").status_code == 404
    assert client.get("/dossiers/V0000004/pieces/inconnue").status_code == 404


def test_menu_lists_the_sites_dossiers(client):
    page = text(client.get("/"))
    assert "Dossier n°V0000004" in page and "ZAWADZKI VINCENT - 621239" in page


def test_site_choice_shows_that_sites_dossiers_and_refuses_an_unknown_site(client):
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/site", data={"rrdi": "953617Z", "csrf_token": token}).status_code == 400
    assert client.post("/site", data={"rrdi": "069870K", "csrf_token": token}).status_code == 303
    page = text(client.get("/"))
    assert "GARAGE DES TILLEULS DEMO" in page and "Dossier n°V0000004" not in page


def test_bad_stale_or_replayed_callbacks_are_refused_and_a_replay_changes_nothing(app, client, cds):
    garantir(client)
    assert_refused_callbacks(client, cds.declare("SP038421N000000001", "22612000005"), DEMO_KEYS["neovo"])
    assert dossier(app).contract_number == "22612000005"
    late = {"bdc_number": "SP038421N000000001", "status": "contract_pending", "contract_number": None}
    assert signed_callback(client, late, DEMO_KEYS["neovo"], delivery="first").status_code == 409
    assert (dossier(app).declaration_status, dossier(app).contract_number) == ("declared", "22612000005")
