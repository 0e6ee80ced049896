"""Small PVO2 rules and helpers: counters, money format, vehicle card checks, printing choices."""
from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from simulators.pvo2 import euros
from simulators.pvo2.offers import counters
from simulators.pvo2.printing import default_document
from tests.pvo2.conftest import order, text, vehicle_id

pytestmark = pytest.mark.pvo2


def test_euros_uses_french_grouping_and_removes_vat_on_request():
    assert euros(15000) == "15 000,00 €"
    assert euros(15000, ht=True) == "12 500,00 €"


def test_counters_split_offers_and_open_orders():
    today = dt.date(2021, 12, 1)
    rows = [SimpleNamespace(state="offre", expires_on=dt.date(2021, 11, 30)),
            SimpleNamespace(state="offre", expires_on=dt.date(2021, 12, 2)),
            SimpleNamespace(state="offre", expires_on=dt.date(2021, 12, 20)),
            SimpleNamespace(state="bdc", expires_on=today), SimpleNamespace(state="cloture", expires_on=today)]
    assert counters(rows, today) == {"à ajuster": 1, "expiring": 1, "en cours": 3, "bdc": 1}


@pytest.mark.parametrize("label, level, ok", [
    ("SPOTICAR", "Spoticar-Essential 6 mois", True), ("DS CERTIFIED", "DS Certified 12 mois", True),
    ("", "", True), ("DS CERTIFIED", "Spoticar-Premium 12 Mois", False), ("FERRARI", "", False),
    ("SPOTICAR", "Platinum 99 mois", False)])
def test_card_label_and_level_must_match(client, app, label, level, ok):
    vid = vehicle_id(app, "DL-342-MP")
    response = client.post(f"/stock/{vid}", data={"label": label, "warranty_level": level, "plate": "DL-342-MP",
                                                  "provenance": "Particulier"})
    assert response.status_code == (302 if ok else 422)
    if not ok:
        assert "Garantie : " in text(response) or "Label constructeur : " in text(response)


def test_card_keeps_a_refused_plate_and_ptac_with_their_messages(client, app):
    vid = vehicle_id(app, "DL-342-MP")
    response = client.post(f"/stock/{vid}", data={"plate": "pas une plaque", "ptac_kg": "٣٠٠٠٠٠",
                                                  "provenance": "Particulier"})
    page = text(response)
    assert response.status_code == 422 and "Immatriculation : " in page and "PTAC (kg) : " in page
    assert 'value="pas une plaque"' in page and 'aria-invalid="true"' in page


def test_default_document_follows_label_and_brand():
    card = lambda brand, label: SimpleNamespace(vehicle=SimpleNamespace(brand=brand, label=label))  # noqa: E731
    assert default_document(card("DS", "DS CERTIFIED")) == "DS-CERTIFIED"
    assert default_document(card("Citroën", "SPOTICAR")) == "SPOTICAR-CITROEN"
    assert default_document(card("SKODA", "SPOTICAR")) == "SPOTICAR-PEUGEOT"


def test_print_requires_a_document_and_keeps_the_order(client, app):
    response = client.get("/imprimer/7414120/options?company=DEMO")
    assert response.status_code == 422 and "Sélectionnez au moins un document" in text(response)
    bad = client.post("/imprimer/7414120/pdf", data={"document": "SPOTICAR-PEUGEOT", "company": "DEMO",
                                                     "start": "07/12/2021", "end": "99/99/2021"})
    assert bad.status_code == 422 and "Garantie au : date invalide" in text(bad)


def test_print_pdf_has_one_order_form_per_document(client):
    response = client.post("/imprimer/7414120/pdf", data={
        "document": ["SPOTICAR-PEUGEOT", "DS-CERTIFIED"], "company": "DEMO CDDS SPOTICAR",
        "start": "07/12/2021", "end": "07/12/2022", "esa": "ESA42"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename="bon-de-commande-7414120.pdf"' in response.headers["Content-Disposition"]
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert pdf.count("Bon de commande d'un véhicule") == 2
    for expected in ("FY-544-EW", "TMBJG7NU9M50143AA", "TEST2", "ESA42", "07/12/2022", "FR10350", "Gris Quartz"):
        assert expected in pdf
    # the seed's printed form, word for word (002: "Bon de commande à particulier")
    for label in ("Achat", "Location avec Option d'Achat", "Cachet de l'Apporteur d'Affaires", "Code Vendeur",
                  "Code Apporteur d'Affaires", "SIRET / SIREN", "Conjoint/Co-emprunteur", "Teinte Extérieure",
                  "N° Département souhaité"):
        assert label in pdf, label


def test_cancel_an_offer_but_never_a_bdc(client, app):
    assert client.post("/offres/7414134/annuler").status_code == 302
    assert order(app, 7414134).state == "annulee"
    page = text(client.get("/offres/"))
    assert "Offre n°7414134 annulée." in page and 'aria-label="Offre n°7414134"' not in page
    client.post("/offres/7414120/annuler")
    assert order(app, 7414120).state == "cloture"


def test_unknown_order_is_a_french_404(client):
    response = client.get("/livraisons/1")
    assert response.status_code == 404 and "Page introuvable" in text(response)


def test_print_options_keep_what_was_typed_when_refused(client):
    response = client.post("/imprimer/7414120/pdf", data={
        "document": "SPOTICAR-PEUGEOT", "company": "DEMO", "esa": "ESA9", "start": "01/02/2022", "end": "01/01/2022"})
    page = text(response)
    assert response.status_code == 422 and "Garantie au : la fin de garantie précède son début." in page
    assert 'value="ESA9"' in page and 'value="01/01/2022"' in page and 'value="DEMO"' in page


def test_a_refused_comment_is_shown_again_with_its_message(client, app):
    typed = "Reprise à prévoir " * 40
    response = client.post("/offres/7414134/commentaire", data={"comment": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Commentaire : Au plus 500 caractères." in text(response)
    assert typed.strip() in page
    empty = client.post("/offres/7414120/commentaire", data={"comment": " "})  # a bon de commande
    assert empty.status_code == 422 and "Commentaire : saisissez un texte." in text(empty)
    assert order(app, 7414134).comments in (None, [])


def test_stock_search_is_bounded_and_keeps_what_was_typed(client):
    found = client.get("/stock/", query_string={"q": "GA-105"})
    assert found.status_code == 200 and "GA-105-PB" in text(found)
    typed = "GA-105-PB " * 10
    refused = client.get("/stock/", query_string={"q": typed})
    assert refused.status_code == 422 and "Rechercher : Au plus 60 caractères." in text(refused)
    assert typed.strip() in refused.get_data(as_text=True)
