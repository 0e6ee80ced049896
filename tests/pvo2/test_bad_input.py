"""PVO2 dates and searches go through common.parsing: no far date stored, no 500 on a search."""
from __future__ import annotations

from sqlalchemy import select

from simulators.pvo2.store import Order
from tests.pvo2.conftest import order, text


def _bdc_number(app) -> int:
    with app.extensions["db"].transaction() as session:
        return session.scalar(select(Order.number).where(Order.state.in_(("bdc", "cloture")))
                              .order_by(Order.number))


def test_delivery_date_in_year_9999_is_refused_and_printing_still_works(client, app):
    number = _bdc_number(app)
    before = order(app, number).delivery_date
    response = client.post(f"/livraisons/{number}/livraison", data={"delivery_date": "31/12/9999"})
    assert response.status_code == 422 and "JJ/MM/AAAA" in text(response)
    assert order(app, number).delivery_date == before
    printed = client.get(f"/imprimer/{number}/options", query_string={"document": "bdc", "company": "X"})
    assert printed.status_code in (200, 422)


def test_print_warranty_dates_in_year_9999_are_refused(client, app):
    number = _bdc_number(app)
    response = client.post(f"/imprimer/{number}/pdf", data={"document": "bdc", "company": "Garage",
                                                            "start": "31/12/9999", "end": "31/12/9999"})
    assert response.status_code == 422 and "date invalide" in text(response)


def test_offer_search_with_unicode_digits_lists_nothing_without_error(client):
    for query in ("²", "٣", "99999999999999999999"):
        response = client.get("/offres/", query_string={"q": query})
        assert response.status_code == 200


def test_order_number_in_the_path_cannot_overflow_the_database(client):
    for number in ("99999999999999999999", "٣"):
        response = client.get(f"/livraisons/{number}")
        assert response.status_code == 404 and "Page introuvable" in text(response)
