"""PSA Assurance policy API (simulated on Icare): what a DMS calls for "Déclaration PSA Insurance".

    POST /api/v1/psa-insurance/policies          create (idempotent per dealer + DMS order)
    GET  /api/v1/psa-insurance/policies/<number> one policy
    GET  /api/v1/psa-insurance/policies?plate=…  policies of a vehicle

Protected by the Icare service key, like the contract API. Register with
``app.register_blueprint(psa_insurance.bp)`` in ``simulators.icare.create_app``.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from flask import Blueprint, current_app, jsonify
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from common.dates import add_months, rfc3339
from common.web import csrf, error_response, json_body
from fixtures import reference
from simulators.icare.api import listed_json, numbered_json, service_key_refusal, upper_arg
from simulators.icare.psa_store import PsaPolicy, policy_number
from simulators.icare.store import IcareDealer, utcnow
from spoticar_handoff.eligibility import refusals

if TYPE_CHECKING:  # pydantic: imported at the first policy asked for, not when the app starts
    from simulators.icare.wire import PolicyIn

bp = Blueprint("icare_psa_insurance", __name__, url_prefix="/api/v1/psa-insurance")
csrf.exempt(bp)


@bp.record_once
def _create_table(state) -> None:
    # The policy table is created on registration, whatever the order of create_all and imports.
    PsaPolicy.__table__.create(state.app.extensions["db"].engine, checkfirst=True)


def policy_json(p: PsaPolicy) -> dict:
    return {"policy_number": p.number, "insurer": "PSA Assurance", "rrdi": p.rrdi, "code_t": p.code_t,
            "dms": p.dms, "dms_order_ref": p.dms_order_ref, "label": p.label, "product": p.product,
            "duration_months": p.duration_months, "start_date": p.start_date.isoformat(),
            "end_date": p.end_date.isoformat(), "premium_ttc": str(p.premium_ttc),
            "customer": {"civility": p.customer_civility, "last_name": p.customer_last_name,
                         "first_name": p.customer_first_name},
            "vehicle": {"plate": p.plate, "vin": p.vin, "brand": p.brand, "model": p.model,
                        "version": p.version, "mileage_km": p.mileage_km},
            "status": p.status, "created_at": rfc3339(p.created_at)}


@bp.before_request
def _service_key():
    return service_key_refusal("Clé de service PSA Assurance absente ou invalide.")


def _refusal(body: PolicyIn) -> tuple[str, str] | None:
    """(field, French message) when the catalogue or the eligibility rules refuse the policy."""
    product = reference.warranty_product(body.product)
    if product is None or product["label"] != body.label or body.duration_months not in product["durations"]:
        return "product", (f"Produit {body.product} ({body.duration_months} mois) non proposé pour le "
                           f"label {body.label}.")
    if body.vehicle.usage not in reference.all_usages():
        return "vehicle.usage", "Usage du véhicule inconnu."
    v = body.vehicle
    found = refusals(v.brand, v.din_power, v.usage, v.ptac_kg)
    return (found[0].field, found[0].message) if found else None


@bp.post("/policies")
def create_policy():
    """Create the policy of a DMS order; the same order sent again returns the same policy (200)."""
    from simulators.icare.wire import PolicyIn
    body, failure = json_body(PolicyIn)
    if failure:
        return failure
    refusal = _refusal(body)
    if refusal:
        return error_response(422, refusal[1], refusal[0])
    db = current_app.extensions["db"]
    key = (PsaPolicy.rrdi == body.rrdi, PsaPolicy.dms == body.dms, PsaPolicy.dms_order_ref == body.dms_order_ref)
    try:
        with db.transaction() as session:
            dealer = session.scalar(select(IcareDealer).where(IcareDealer.rrdi == body.rrdi))
            if dealer is None:
                return error_response(422, f"Le RRDI {body.rrdi} n'est pas sous convention PSA Assurance.",
                                      "rrdi")
            existing = session.scalar(select(PsaPolicy).where(*key))
            if existing:
                return jsonify(policy_json(existing)), 200
            product = reference.warranty_product(body.product)
            c, v = body.customer, body.vehicle
            policy = PsaPolicy(
                rrdi=body.rrdi, code_t=dealer.code_t, dms=body.dms, dms_order_ref=body.dms_order_ref,
                label=body.label, product=body.product, duration_months=body.duration_months,
                start_date=body.start_date, end_date=add_months(body.start_date, body.duration_months),
                premium_ttc=Decimal(product["premium_ttc"][str(body.duration_months)]),
                customer_civility=c.civility, customer_last_name=c.last_name,
                customer_first_name=c.first_name, customer_email=c.email, plate=v.plate, vin=v.vin,
                brand=v.brand, model=v.model, version=v.version, mileage_km=v.mileage_km,
                created_at=utcnow())
            session.add(policy)
            session.flush()
            policy.number = policy_number(policy.created_at, policy.id)
    except IntegrityError:  # the same order sent twice at once: the other request created it
        with db.transaction() as session:
            return jsonify(policy_json(session.scalar(select(PsaPolicy).where(*key)))), 200
    return jsonify(policy_json(policy)), 201


@bp.get("/policies/<number>")
def get_policy(number: str):
    return numbered_json(PsaPolicy, number, policy_json, f"Aucune police PSA Assurance n° {number}.")


@bp.get("/policies")
def find_policies():
    """Policies of a vehicle (``?plate=AA-123-AA``)."""
    plate = upper_arg("plate")
    if not plate:
        return error_response(400, "Indiquez une immatriculation (plate).")
    return listed_json("policies", select(PsaPolicy).where(PsaPolicy.plate == plate).order_by(PsaPolicy.id),
                       policy_json)
