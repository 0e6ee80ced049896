"""Rules 4 and 5 on form 2/3: warranty dates that make sense, and the PTAC shown and checked."""
from __future__ import annotations

import datetime as dt
import html

import pytest

from centralisateur.form import date_checks
from tests.centralisateur.support import api_client, open_form

pytestmark = pytest.mark.centralisateur


def _submit(stack, payload: dict, **changes) -> tuple[int, str, dict]:
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=payload).json()
    browser, url, values = open_form(stack, receipt["declaration_url"])
    response = browser.post(url, data={**values, **changes})
    return response.status_code, html.unescape(response.text), values


def test_warranty_starting_before_the_sale_is_refused_on_the_form(stack, factory):
    payload = factory.handoff()
    sale = dt.date.fromisoformat(payload["sale"]["sale_date"])
    before = (sale - dt.timedelta(days=3)).strftime("%d/%m/%Y")
    status, page, _ = _submit(stack, payload, start_date=before)
    assert status == 422
    assert f"La date de début de garantie ne peut pas précéder la date de la vente ({sale:%d/%m/%Y})" in page


def _sold_45_days_ago(factory, start_days_before: int = 0) -> tuple[dt.date, dict]:
    """(the sale and delivery day 45 days ago, a hand-off of it whose warranty starts that many days
    before it)."""
    old = dt.date.today() - dt.timedelta(days=45)
    payload = factory.handoff()
    payload["sale"].update(sale_date=old.isoformat(), delivery_date=old.isoformat())
    payload["warranty"]["start_date"] = (old - dt.timedelta(days=start_days_before)).isoformat()
    return old, payload


def test_sale_delivered_too_long_ago_is_refused_naming_the_limit(stack, factory):
    old, payload = _sold_45_days_ago(factory)
    status, page, _ = _submit(stack, payload)
    assert status == 422
    assert f"La vente a été livrée le {old:%d/%m/%Y}, il y a plus de 30 jours" in page


def test_the_handoff_answer_warns_of_the_same_date_rules(stack, factory):
    old, payload = _sold_45_days_ago(factory, start_days_before=2)
    with api_client(stack) as api:
        answer = api.post("/api/v1/handoffs", json=payload)
    assert answer.status_code == 201  # the dealer can still correct the dates on form 2/3
    warnings = {w["field"]: w["message"] for w in answer.json()["warnings"]}
    assert warnings["sale.delivery_date"] == (
        f"« Date de livraison* » : La vente a été livrée le {old:%d/%m/%Y}, il y a plus de 30 jours : la garantie "
        "doit être déclarée dans les 30 jours suivant la livraison. À corriger sur le formulaire de déclaration "
        "(2/3) avant de déclarer.")
    assert warnings["warranty.start_date"].startswith(
        f"« Date début de garantie* » : La date de début de garantie ne peut pas précéder la date de la vente "
        f"({old:%d/%m/%Y})")


def test_sdk_warnings_take_the_configured_delivery_limit(factory):
    from spoticar_handoff.warnings import handoff_warnings
    payload = factory.handoff()
    ten_days_ago = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    payload["sale"].update(sale_date=ten_days_ago, delivery_date=ten_days_ago)
    payload["warranty"]["start_date"] = ten_days_ago
    assert handoff_warnings(payload) == []
    [late] = handoff_warnings(payload, max_days_after_delivery=7)
    assert late.field == "sale.delivery_date" and "dans les 7 jours suivant la livraison" in late.message
    assert handoff_warnings(payload, max_days_after_delivery=7,
                            today=dt.date.today() - dt.timedelta(days=5)) == []


def test_delivery_limit_is_configurable():
    clean = {"start_date": None, "delivery_date": (dt.date.today() - dt.timedelta(days=10)).isoformat()}
    assert date_checks(clean, {}, max_days=30) == []
    [(field, message)] = date_checks(clean, {}, max_days=7)
    assert field == "delivery_date" and "dans les 7 jours suivant la livraison" in message


def test_ptac_is_on_form_2_3_and_over_3_5_t_is_refused_there(stack, factory):
    vehicle = factory.vehicle()
    status, page, values = _submit(stack, factory.handoff(vehicle=vehicle), ptac_kg="3600")
    assert values["ptac_kg"] == str(vehicle["ptac_kg"])  # sent by the DMS, shown pre-filled
    assert status == 422
    assert "PTAC (kg)" in page and "(PTAC) de 3600 kg est supérieur à 3,5 t" in page
    assert 'name="ptac_kg"' in page and 'aria-invalid="true"' in page
