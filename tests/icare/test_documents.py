"""DOCUMENTS: monthly debits per dealer configuration, search, PDF."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from simulators.icare.documents import month_of
from tests.icare.conftest import STRONG, api_sale, become_admin, log_in

pytestmark = pytest.mark.icare

TODAY = dt.date.today()
PERIOD = TODAY.strftime("%m/%Y")


def admin_with_sales(client, app, factory, rrdi: str, sales: int = 2) -> list[dict]:
    contracts = [api_sale(client, factory, rrdi) for _ in range(sales)]
    email = become_admin(client, app, rrdi) if rrdi != "953617Z" else "garantie.vo@axilog-demo.example.fr"
    assert log_in(client, email, STRONG if rrdi != "953617Z" else "Spoticar-Demo-2026!").status_code == 302
    return contracts


def debits(client, **criteria) -> str:
    response = client.get("/documents", query_string={"type": "Note de Débit", "du": PERIOD, "au": PERIOD,
                                                      **criteria})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_assurance_mode_one_monthly_debit_with_a_line_per_vehicle_and_npo(client, app, factory):
    contracts = admin_with_sales(client, app, factory, "953617Z")
    html = debits(client)
    assert html.count("Télécharger Note de Débit") == 1
    assert "primes des véhicules vendus sur le mois (y compris NPO)" in html
    premiums = sum(Decimal(c["premium_ttc"]) for c in contracts) + 2 * Decimal("25.00")
    assert f"{premiums:,.2f}".replace(",", " ").replace(".", ",") in html
    assert "<td>4</td>" in html  # two premiums + two NPO lines


def test_gestion_deleguee_two_debits(client, app, factory):
    admin_with_sales(client, app, factory, "FR10350")
    html = debits(client)
    assert html.count("Télécharger Note de Débit") == 2
    assert "sinistres réglés pour votre compte" in html and "frais de gestion + NPO" in html
    assert "110,00 €" in html  # 2 × 30,00 management fees + 2 × 25,00 NPO


def test_auto_assurance_one_npo_debit(client, app, factory):
    admin_with_sales(client, app, factory, "069870K", sales=3)
    html = debits(client)
    assert html.count("Télécharger Note de Débit") == 1
    assert "Prélèvement mensuel : NPO" in html and "75,00 €" in html


def test_documents_are_stable_and_refreshed(client, app, factory):
    admin_with_sales(client, app, factory, "069870K", sales=1)
    first = debits(client)
    api_sale(client, factory, "069870K")
    second = debits(client)
    number = first.split("Télécharger Note de Débit ")[1][:10]
    assert f"Télécharger Note de Débit {number}" in second and "50,00 €" in second
    assert number in debits(client, numero=number)
    assert "Aucun document" in debits(client, numero="1234567890")


def test_other_types_and_periods_find_nothing(client, app, factory):
    admin_with_sales(client, app, factory, "069870K", sales=1)
    html = client.get("/documents", query_string={"type": "Facture Garantie"}).get_data(as_text=True)
    assert "Aucun document ne correspond" in html
    last_year = f"{TODAY.month:02d}/{TODAY.year - 1}"
    html = client.get("/documents", query_string={"du": last_year, "au": last_year}).get_data(as_text=True)
    assert "Aucun document ne correspond" in html


@pytest.mark.parametrize("criteria, message", [
    ({"du": "13/2026"}, "format MM/AAAA"),
    ({"au": "2026-01"}, "format MM/AAAA"),
    ({"du": "05/2026", "au": "01/2026"}, "doit précéder"),
    ({"numero": "abc"}, "que des chiffres"),
    ({"type": "Facture Pirate"}, "Type de document inconnu"),
])
def test_bad_criteria_are_clear_400s(client, app, factory, criteria, message):
    admin_with_sales(client, app, factory, "069870K", sales=1)
    response = client.get("/documents", query_string=criteria)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_pdf_holds_the_document(client, app, factory):
    contracts = admin_with_sales(client, app, factory, "953617Z", sales=1)
    number = debits(client).split("Télécharger Note de Débit ")[1][:10]
    response = client.get(f"/documents/{number}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"filename*=UTF-8''Note_de_D%C3%A9bit_{number}.pdf" in response.headers["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in (f"Note de Débit n° {number}", "AXILOG DEMO", "T18654", contracts[0]["vehicle"]["plate"],
                     contracts[0]["contract_number"], "Total du prélèvement"):
        assert expected in text


def test_another_establishments_pdf_is_not_served(client, app, factory):
    admin_with_sales(client, app, factory, "069870K", sales=1)
    number = debits(client).split("Télécharger Note de Débit ")[1][:10]
    client.post("/deconnexion")
    admin_with_sales(client, app, factory, "FR10350", sales=1)
    assert client.get(f"/documents/{number}.pdf").status_code == 404


def test_month_of():
    assert month_of(dt.date(2026, 1, 31)) == dt.date(2026, 1, 1)
