"""Déclaration de garantie: the v1 hand-off built from a PVO2 order and sent through the DMS
toolkit; the centralisateur's signed callback and status polling."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, current_app

from common.dates import add_months
from common.web import csrf
from fixtures import reference
from simulators.dms import handoff as dms
from simulators.dms.callback import callback_response
from simulators.pvo2.store import CallbackDelivery, Order, Site
from spoticar_handoff import CALLBACK_PATH

if TYPE_CHECKING:  # pydantic: imported at the first hand-off, not when the app starts
    from spoticar_handoff.models import HandoffReceipt

DMS = "pvo2"
bp = Blueprint("callbacks", __name__)
csrf.exempt(bp)

# PVO2 keeps its own choice (spoticar / psa_insurance) in ``garantisseur``
DECLARATIONS = dms.Declarations(Order, CallbackDelivery, garantisseur=None)
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
                 "origin": order.origin or None, "price_ttc": f"{v.price_ttc:.2f}", "trade_in_value": None},
        "customer": {"civility": c.civility, "last_name": c.last_name, "first_name": c.first_name or None,
                     "email": c.email or None, phone_key: c.phone or None, "address": c.address,
                     "postcode": c.postcode, "city": c.city, "birth_name": c.birth_name or None,
                     "birth_date": _iso(c.birth_date), "birth_place": c.birth_place or None,
                     "birth_country": c.birth_country or None, "nationality": c.nationality or None,
                     "residence_country": c.residence_country or "France", "consent": list(c.consent or [])},
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


def declare_spoticar(order: Order, site: Site) -> HandoffReceipt:
    """Send the hand-off (no database work here: the caller records the receipt).

    Raises HandoffRefused / CentralisateurUnavailable; the order is then left untouched.
    """
    return dms.send(current_app, DMS, handoff_payload(order, site, current_app.config.get("PUBLIC_URL")))


def record_receipt(order: Order, receipt: HandoffReceipt) -> None:
    """The order is now declared to Spoticar: its bon de commande number, link and status."""
    order.garantisseur = "spoticar"
    dms.record_receipt(order, receipt, DECLARATIONS)


def refresh(order: Order) -> None:
    """Ask the centralisateur for an unfinished declaration (the callback may have been missed) and
    store its answer; the order page still shows when it cannot be asked (next visit polls again)."""
    state, _error = dms.poll(current_app, DMS, order.bdc_number, order.declaration_status, timeout=3.0)
    if state is not None:
        dms.store_state(current_app, DECLARATIONS, state)


@bp.post(CALLBACK_PATH)
def declaration_callback():
    """The centralisateur's signed DeclarationState for one of our orders."""
    return callback_response(current_app, DMS, DECLARATIONS)
