"""Déclaration PSA Insurance: PVO2 asks PSA Assurance (simulated on the Icare app) for a policy."""
from __future__ import annotations

from flask import current_app

from common.journal import http_client
from fixtures import reference
from simulators.pvo2 import psa_insurance_key
from simulators.pvo2.store import Order, Site


class PsaInsuranceError(Exception):
    """PSA Assurance refused (``status`` 4xx) or did not answer; ``message`` is French."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


def policy_request(order: Order, site: Site) -> dict:
    """The body of ``POST /api/v1/psa-insurance/policies``."""
    v, c = order.vehicle, order.customer
    product, months = reference.product_for_dms_level(v.warranty_level) or ({"product": ""}, 0)
    start = order.delivery_date or order.bdc_on
    usages = reference.load("pvo2_demo")["provenances"]
    return {"dms": "pvo2", "dms_order_ref": str(order.number), "rrdi": site.rrdi,
            "customer": {"civility": c.civility, "last_name": c.last_name, "first_name": c.first_name,
                         "email": c.email or None, "postcode": c.postcode, "city": c.city},
            "vehicle": {"plate": v.plate, "vin": v.vin, "brand": reference.normalize_brand(v.brand),
                        "model": v.model, "version": v.version, "mileage_km": v.mileage_km,
                        "first_registration": v.first_registration.isoformat(), "din_power": v.din_power,
                        "usage": usages.get(v.provenance, "particulier"), "ptac_kg": v.ptac_kg},
            "label": v.label, "product": product["product"], "duration_months": months,
            "start_date": start.isoformat() if start else None}


def declare_psa_insurance(order: Order, site: Site) -> str:
    """Create (or find again) the PSA Assurance policy of the order; its number (no database work)."""
    base = current_app.config["URLS"].get("icare")
    key = psa_insurance_key(current_app.config)
    if not base or not key:
        raise PsaInsuranceError("PSA Assurance n'est pas configuré sur ce PVO2 (adresse ou clé "
                                "PSA_INSURANCE_API_KEY manquante) : contactez le support PVO2.")
    import httpx  # at the first declaration, not when the app starts

    try:
        with http_client(timeout=10.0) as http:
            response = http.post(base.rstrip("/") + "/api/v1/psa-insurance/policies",
                                 json=policy_request(order, site), headers={"Authorization": f"Bearer {key}"})
    except httpx.HTTPError as exc:
        raise PsaInsuranceError("PSA Assurance ne répond pas : la déclaration n'a pas été transmise, "
                                "réessayez dans quelques instants.") from exc
    if response.status_code >= 500:
        raise PsaInsuranceError("PSA Assurance est en erreur : la "
                                "déclaration n'a pas été transmise, réessayez dans quelques instants.",
                                response.status_code)
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code >= 400:
        text = " ; ".join(e.get("message", "") for e in body.get("errors", [])) or "PSA Assurance a refusé la demande."
        raise PsaInsuranceError(f"Déclaration refusée par PSA Assurance : {text}", response.status_code)
    return body["policy_number"]
