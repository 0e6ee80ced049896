"""From a validated warranty form to the v1 hand-off body."""
from __future__ import annotations

import datetime as dt

from flask import current_app

from common.dates import parse_fr_date
from common.parsing import ParseError, parse_decimal, parse_int
from fixtures import reference
from simulators.dms.handoff import manufacturer_warranty
from simulators.tec3h.store import Order

# Hand-off field → warranty form field, so a refusal highlights what the dealer must correct.
FORM_FIELD = {
    "customer.civility": "civilite", "customer.last_name": "nom", "customer.first_name": "prenom",
    "customer.address": "adresse", "customer.postcode": "code_postal", "customer.city": "ville",
    "customer.address2": "adresse2", "customer.address3": "adresse3", "customer.phone": "telephone",
    "customer.mobile": "portable", "customer.email": "email", "customer.birth_date": "date_naissance",
    "customer.birth_place": "lieu_naissance", "customer.company_name": "raison_sociale",
    "customer.siret": "siret", "vehicle.plate": "immatriculation", "vehicle.brand": "marque",
    "vehicle.model": "modele", "vehicle.first_registration": "date_mec", "vehicle.energy": "carburant",
    "vehicle.fiscal_power": "puissance", "vehicle.mileage_km": "km", "vehicle.vin": "vin",
    "vehicle.version": "version", "vehicle.kw_power": "puissance_kw",
    "vehicle.registration_card_type": "type_cg", "vehicle.displacement_cc": "cylindres",
    "vehicle.din_power": "puissance_din", "vehicle.ptac_kg": "ptac", "sale.sale_date": "date_vente",
    "sale.price_ttc": "prix_vente",
    "sale.trade_in_value": "prix_reprise", "sale.origin": "origine_vente",
    "customer.birth_country": "pays_naissance", "customer.nationality": "nationalite", "warranty.product": "niveau", "vehicle.usage": "usage",
    "warranty.duration_months": "niveau",
}


def _iso(text: str | None) -> str | None:
    date = parse_fr_date(text or "")
    return date.isoformat() if date else None


def _int(text: str | None) -> int | None:
    try:
        return parse_int(text)
    except ParseError:  # the hand-off says nothing rather than a wrong number; the form asks again
        return None


def _money(text: str | None) -> str | None:
    """The form's amount (« 15 000,50 € », checked by its MoneyField with ``common.parsing``) as the wire
    writes it, « 15000.50 »: spaces and commas alone left a non-breaking space in « 15 000 »."""
    try:
        amount = parse_decimal(text)
    except ParseError:  # a form stored before its check: sent as typed, the centralisateur says why
        return (text or "").strip() or None
    return None if amount is None else f"{amount:.2f}"


def build_payload(order: Order, form: dict, callback_url: str | None) -> dict:
    """The v1 hand-off body for ``order`` from the dealer-validated warranty ``form``."""
    level = reference.product_for_dms_level(form.get("niveau", ""))
    product, months = level if level else (None, None)
    start = _iso(form.get("date_vente")) or dt.date.today().isoformat()
    if order.delivery_date:
        start = order.delivery_date.isoformat()
    none = lambda key: form.get(key) or None  # noqa: E731
    first_registration = parse_fr_date(form.get("date_mec", ""))
    return {
        "source_dms": "tec3h",
        "dms_order_ref": str(order.number),
        "dealer": {"rrdi": current_app.config["TEC3H_DEALER"]["rrdi"]},
        "seller": order.seller,
        "sale": {"sale_date": _iso(form.get("date_vente")),
                 "delivery_date": order.delivery_date.isoformat() if order.delivery_date else None,
                 "origin": none("origine_vente"), "price_ttc": _money(form.get("prix_vente")),
                 "trade_in_value": _money(form.get("prix_reprise"))},
        "customer": {
            "civility": none("civilite"), "last_name": form.get("nom", ""),
            "first_name": none("prenom"), "birth_name": None,
            "birth_date": _iso(form.get("date_naissance")), "birth_place": none("lieu_naissance"),
            "birth_country": none("pays_naissance"), "nationality": none("nationalite"),
            "residence_country": "France",
            "email": none("email"), "phone": none("telephone"), "mobile": none("portable"),
            "address": none("adresse"), "address2": none("adresse2"), "address3": none("adresse3"),
            "postcode": none("code_postal"), "city": none("ville"),
            "company_name": none("raison_sociale"), "siret": none("siret"),
            "consent": [c for c in ("email", "phone", "sms", "mail") if form.get(f"consent_{c}")],
        },
        "vehicle": {
            "kind": "VP", "plate": none("immatriculation"), "vin": none("vin"),
            "brand": reference.normalize_brand(form.get("marque", "")), "model": none("modele"),
            "version": none("version"),
            "energy": reference.normalize_brand(form.get("carburant", "")) or None,
            "registration_card_type": none("type_cg"),
            "first_registration": _iso(form.get("date_mec")),
            "din_power": _int(form.get("puissance_din")), "fiscal_power": _int(form.get("puissance")),
            "kw_power": _int(form.get("puissance_kw")), "displacement_cc": _int(form.get("cylindres")),
            "mileage_km": _int(form.get("km")), "usage": form.get("usage") or "particulier",
            "ptac_kg": _int(form.get("ptac")),
            **(manufacturer_warranty(first_registration) if first_registration else {}),
        },
        "warranty": {"label": product["label"] if product else "SPOTICAR",
                     "product": product["product"] if product else None,
                     "duration_months": months, "start_date": start, "loyalty_product": "Aucun"},
        "callback_url": callback_url,
    }
