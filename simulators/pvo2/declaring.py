"""Déclaration de garantie: the v1 hand-off built from a PVO2 order, sent through the
centralisateur's client; PSA Insurance policies; the centralisateur's callback and status polling."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select

from centralisateur.client import HandoffClient, HandoffError, verify_callback
from centralisateur.contract import DeclarationState, HandoffReceipt
from common.dates import add_months
from common.web import csrf, error_response
from fixtures import reference
from simulators.pvo2 import centralisateur_key, context
from simulators.pvo2.store import Order, Site

log = logging.getLogger(__name__)

bp = Blueprint("callbacks", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

CALLBACK_PATH = "/api/v1/declarations/callback"
FINAL_STATUSES = ("declared", "refused")
RRDI_MISSING = ("Déclaration impossible : le code RRDI Spoticar du site n'est pas renseigné. "
                "Renseignez-le dans Paramètres → Fiche d'identité du site (champ « Code RRDI »), "
                "puis cliquez à nouveau sur Déclarer.")


def handoff_payload(order: Order, site: Site, public_url: str | None) -> dict:
    """The v1 hand-off body (SPEC §4.1) for a PVO2 bon de commande."""
    v, c = order.vehicle, order.customer
    demo = reference.load("pvo2_demo")
    product, months = reference.product_for_dms_level(v.warranty_level) or ({"product": None}, None)
    start = order.delivery_date or order.bdc_on
    phone_key = "mobile" if c.phone.startswith(("06", "07")) else "phone"
    return {
        "source_dms": "pvo2",
        "dms_order_ref": str(order.number),
        "dealer": {"rrdi": site.rrdi},
        "seller": order.seller,
        "sale": {"sale_date": _iso(order.bdc_on), "delivery_date": _iso(order.delivery_date),
                 "origin": None, "price_ttc": f"{v.price_ttc:.2f}", "trade_in_value": None},
        "customer": {"civility": c.civility, "last_name": c.last_name, "first_name": c.first_name or None,
                     "email": c.email or None, phone_key: c.phone or None, "address": c.address, "postcode": c.postcode, "city": c.city,
                     "residence_country": "France", "consent": []},
        "vehicle": {"kind": v.kind, "plate": v.plate, "vin": v.vin,
                    "brand": reference.normalize_brand(v.brand), "model": v.model, "version": v.version,
                    "energy": demo["energies"].get(v.energy), "first_registration": _iso(v.first_registration),
                    "din_power": v.din_power, "fiscal_power": v.fiscal_power,
                    "kw_power": round(v.din_power * 0.7355), "four_wheel_drive": False,
                    "mileage_km": v.mileage_km,
                    "manufacturer_warranty_end": _iso(add_months(v.first_registration, 24)),
                    "manufacturer_warranty_km": 999999,
                    "usage": demo["provenances"].get(v.provenance, "particulier"), "ptac_kg": v.ptac_kg},
        "warranty": {"label": v.label, "product": product["product"], "duration_months": months,
                     "start_date": _iso(start), "loyalty_product": "Aucun"},
        "callback_url": (public_url.rstrip("/") + CALLBACK_PATH) if public_url else None,
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def client() -> HandoffClient:
    """A hand-off client for the centralisateur this PVO2 is wired to."""
    return HandoffClient(current_app.config["URLS"]["centralisateur"],
                         centralisateur_key(current_app.config), timeout=10.0)


def declare_spoticar(order: Order, site: Site) -> HandoffReceipt:
    """Send the hand-off (no database work here: the caller records the receipt).

    Raises HandoffRefused / CentralisateurUnavailable; the order is then left untouched.
    """
    payload = handoff_payload(order, site, current_app.config.get("PUBLIC_URL"))
    api = client()
    try:
        return api.send(payload)
    finally:
        api.close()


def record_receipt(order: Order, receipt: HandoffReceipt) -> None:
    order.garantisseur = "spoticar"
    order.bdc_number = receipt.bdc_number
    order.declaration_url = receipt.declaration_url
    order.declaration_status = receipt.status.value


def poll_status(order: Order) -> DeclarationState | None:
    """The centralisateur's state of an unfinished declaration (the callback may have been missed)."""
    if not order.bdc_number or order.declaration_status in FINAL_STATUSES:
        return None
    api = HandoffClient(current_app.config["URLS"]["centralisateur"],
                        centralisateur_key(current_app.config), timeout=3.0)
    try:
        return api.status(order.bdc_number)
    except HandoffError as exc:  # the order page still shows; the next visit polls again
        log.info("statut de %s indisponible : %s", order.bdc_number, exc.message)
        return None
    finally:
        api.close()


def apply_state(order: Order, state: DeclarationState) -> None:
    order.declaration_status = state.status.value
    if state.contract_number:
        order.contract_number = state.contract_number


@bp.post("/declarations/callback")
def declaration_callback():
    """The centralisateur's signed DeclarationState for one of our orders."""
    body = request.get_data(cache=False)
    try:
        state = verify_callback(body, request.headers.get("X-Spoticar-Signature"),
                                centralisateur_key(current_app.config))
    except ValueError:
        return error_response(400, "Corps de rappel invalide.")
    if state is None:
        return error_response(401, "Signature X-Spoticar-Signature absente ou invalide.")
    with context.db().transaction() as session:
        order = session.scalar(select(Order).where(Order.bdc_number == state.bdc_number))
        if order is None:
            return error_response(404, f"Aucune commande PVO2 pour le bon de commande {state.bdc_number}.")
        apply_state(order, state)
    return jsonify({"ok": True})
