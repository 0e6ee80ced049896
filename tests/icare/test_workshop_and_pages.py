"""Services.Spoticar (seed 003): PRISE EN CHARGE ATELIER (file a claim, search claims), the six
DOCUMENTS types each generated and found, Recherche avancée, the repairer's « Créer un compte »,
the footer's pages and the FR selector."""
from __future__ import annotations

import datetime as dt

import pytest

from simulators.icare.documents import DOCUMENT_TYPES
from tests.icare.conftest import api_sale, create_user, last_link, log_in, mail_count

pytestmark = pytest.mark.icare

ADMIN, ADMIN_PASSWORD = "garantie.vo@axilog-demo.example.fr", "Spoticar-Demo-2026!"
TODAY = dt.date.today()


def _claim(client, contract: dict, nature: str = "Garantie", day: dt.date = TODAY, amount: str = "450,00"):
    return client.post("/prise-en-charge/nouvelle", data={
        "contract_number": contract["contract_number"], "nature": nature, "work_date": day.strftime("%d/%m/%Y"),
        "mileage_km": "42 000", "description": "Remplacement de la pompe à eau", "amount_ht": amount})


def test_claims_are_decided_filed_and_found(client, app, factory):
    old = api_sale(client, factory, "953617Z", TODAY - dt.timedelta(days=60))
    new = api_sale(client, factory, "953617Z", TODAY)
    assert log_in(client, ADMIN, ADMIN_PASSWORD).status_code == 302
    filed = client.get(_claim(client, old).headers["location"]).get_data(as_text=True)
    assert "déposée : Accordée." in filed and old["vehicle"]["plate"] in filed
    carence = client.get(_claim(client, new).headers["location"]).get_data(as_text=True)
    assert "à la charge du point de vente (carence)" in carence
    outside = client.get(_claim(client, old, day=TODAY + dt.timedelta(days=800)).headers["location"])
    assert "hors de la période de garantie" in outside.get_data(as_text=True)
    bad = _claim(client, {"contract_number": "00000000000"}, amount="beaucoup")
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Le champ Montant HT estimé doit être un montant" in page
    found = client.get("/prise-en-charge", query_string={"q": new["vehicle"]["plate"]}).get_data(as_text=True)
    assert found.count("<tr><td>PEC") == 1 and new["contract_number"] in found


def test_filing_needs_the_right_and_searching_its_own(client, app, factory):
    assert log_in(client, ADMIN, ADMIN_PASSWORD).status_code == 302
    create_user(client, rights=["recherche_pec"], email="lecture@garage-demo.example.fr")
    link = last_link(app, "lecture@garage-demo.example.fr", "Activez votre compte")
    client.post("/deconnexion")
    password = "Lecture-Seule-2026!x"
    client.post(link, data={"email": "lecture@garage-demo.example.fr", "password": password,
                            "confirmation": password})
    assert log_in(client, "lecture@garage-demo.example.fr", password).status_code == 302
    refused = client.get("/prise-en-charge/nouvelle")
    assert refused.status_code == 403 and "Déposer des demandes de prise en charge" in refused.get_data(as_text=True)
    assert client.get("/prise-en-charge").status_code == 200


def test_each_of_the_six_document_types_is_generated_and_found(client, app, factory):
    old = api_sale(client, factory, "953617Z", TODAY - dt.timedelta(days=60))
    new = api_sale(client, factory, "953617Z", TODAY)
    assert log_in(client, ADMIN, ADMIN_PASSWORD).status_code == 302
    _claim(client, old, "Garantie")
    _claim(client, old, "Entretien", amount="180,00")
    _claim(client, new, "Garantie", amount="320,00")
    period = TODAY.strftime("%m/%Y")
    for doc_type in DOCUMENT_TYPES:
        response = client.get("/documents", query_string={"type": doc_type, "du": period, "au": period})
        page = response.get_data(as_text=True)
        assert response.status_code == 200, (doc_type, page[-800:])
        assert f"Télécharger {doc_type} " in page, doc_type
    carence = client.get("/documents", query_string={"type": "Note de Débit Carence"}).get_data(as_text=True)
    assert "320,00 €" in carence


def test_advanced_search_matches_every_criterion(client, app, factory):
    contract = api_sale(client, factory, "953617Z", TODAY)
    api_sale(client, factory, "953617Z", TODAY)
    assert log_in(client, ADMIN, ADMIN_PASSWORD).status_code == 302
    assert "Recherche avancée" in client.get("/accueil").get_data(as_text=True)
    by_vin = client.get("/recherche-avancee", query_string={"vin": contract["vehicle"]["vin"].lower()})
    page = by_vin.get_data(as_text=True)
    assert "1 contrat trouvé" in page and contract["contract_number"] in page
    by_name = client.get("/recherche-avancee", query_string={
        "client": contract["customer"]["last_name"], "du": TODAY.strftime("%d/%m/%Y")}).get_data(as_text=True)
    assert contract["contract_number"] in by_name
    bad = client.get("/recherche-avancee", query_string={"du": "31/02/2026"})
    assert bad.status_code == 400 and "Début de garantie du doit être une date valide" in bad.get_data(as_text=True)


def test_repairer_account_request_footer_pages_and_language(client, app):
    login = client.get("/connexion").get_data(as_text=True)
    assert "Vous êtes réparateur ?" in login and "Créer un compte" in login and ">FR</option>" in login
    for title in ("Conditions Générales d'Utilisation", "Mentions Légales", "RGPD", "Politique cookies"):
        assert title in login
    for slug in ("cgu", "mentions-legales", "rgpd", "cookies"):
        assert client.get(f"/pages/{slug}").status_code == 200
    bad = client.post("/reparateur/creer-un-compte", data={"company": "Garage du Port", "siret": "123"})
    assert bad.status_code == 422 and "N° SIRET : 14 chiffres." in bad.get_data(as_text=True)
    ok = client.post("/reparateur/creer-un-compte", data={
        "company": "Garage du Port", "siret": "732 829 320 00074", "last_name": "Le Goff", "first_name": "Yann",
        "email": "atelier@garage-du-port.example.fr", "phone": "02 98 44 12 12", "postcode": "29200",
        "city": "Brest"})
    assert ok.status_code == 200 and "Votre demande de compte réparateur a bien été enregistrée" in ok.get_data(as_text=True)
    assert mail_count(app, "atelier@garage-du-port.example.fr") == 1


def test_refused_claim_and_repairer_request_keep_what_was_typed(client, app):
    assert log_in(client, ADMIN, ADMIN_PASSWORD).status_code == 302
    claim = _claim(client, {"contract_number": "00000000000"}, amount="beaucoup")
    page = claim.get_data(as_text=True)
    assert claim.status_code == 422 and 'value="beaucoup"' in page and 'value="42 000"' in page
    assert 'aria-invalid="true"' in page and "Remplacement de la pompe à eau" in page
    client.post("/deconnexion")
    typed = {"company": "Garage du Port", "siret": "732 829 320 00074", "last_name": "Le Goff",
             "first_name": "Yann", "email": "atelier@", "postcode": "29200", "city": "Brest"}
    bad = client.post("/reparateur/creer-un-compte", data=typed)
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Email : adresse email invalide (ex. : atelier@garage.fr)." in page
    assert 'value="atelier@"' in page and 'value="Garage du Port"' in page
    assert mail_count(app, "atelier@") == 0
