"""Icare contract API used by the centralisateur (service key): NPO records and warranty contracts."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from common.auth import bearer_token, key_matches
from common.dates import add_months, rfc3339
from common.keys import demo_key_allowed
from common.web import csrf, error_response, json_body
from fixtures import reference
from simulators.icare.store import Contract, IcareDealer, NpoRecord, utcnow

if TYPE_CHECKING:  # pydantic: imported at the first call, not when the app starts
    from simulators.icare.wire import NpoIn

bp = Blueprint("icare_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

def contract_number(created: dt.datetime, sequence: int) -> str:
    """11 digits: 2, year (2), month (2), sequence (6) — e.g. 22511015251."""
    return f"2{created.year % 100:02d}{created.month:02d}{sequence % 1_000_000:06d}"


def contract_json(c: Contract) -> dict:
    return {"contract_number": c.number, "bdc_number": c.bdc_number, "code_t": c.code_t,
            "label": c.label, "product": c.product, "duration_months": c.duration_months,
            "start_date": c.start_date.isoformat(), "end_date": c.end_date.isoformat(),
            "premium_ttc": str(c.premium_ttc) if c.premium_ttc is not None else None,
            "customer": {"civility": c.customer_civility, "last_name": c.customer_last_name,
                         "first_name": c.customer_first_name},
            "vehicle": {"plate": c.plate, "vin": c.vin, "brand": c.brand, "model": c.model,
                        "version": c.version, "mileage_km": c.mileage_km},
            "status": c.status, "created_at": rfc3339(c.created_at)}


def service_key_refusal(message: str = "Clé de service Icare absente ou invalide."):
    """None when the request carries Icare's service key, else the 401 answer."""
    key = bearer_token()
    expected = current_app.config["ICARE_SERVICE_KEY_DIGEST"]
    if not (key_matches(key, expected) and demo_key_allowed(key, current_app.config["DEMO_MODE"])):
        return error_response(401, message)
    return None


@bp.before_request
def _service_key():
    return service_key_refusal()


def _answered(session, body: NpoIn, model, to_json):
    """The answer due before recording a sale's NPO or contract: its dealer unknown for this RRDI
    (422), or the record this bdc already has (200, the same body: a replay); else None."""
    dealer = session.get(IcareDealer, body.code_t)
    if dealer is None or dealer.rrdi != body.rrdi:
        return error_response(422, f"Code T {body.code_t} inconnu d'Icare pour le RRDI {body.rrdi}.",
                              "code_t")
    existing = session.scalar(select(model).where(model.bdc_number == body.bdc_number))
    return (jsonify(to_json(existing)), 200) if existing else None


@bp.post("/npo")
def create_npo():
    """Record the NPO fee of a sale (always, whatever the garantisseur). Same bdc → same record."""
    from simulators.icare.wire import NpoIn  # pydantic: at the first call, not when the app starts
    body, failure = json_body(NpoIn)
    if failure:
        return failure
    db = current_app.extensions["db"]
    with db.transaction() as session:
        answer = _answered(session, body, NpoRecord, _npo_json)
        if answer is not None:
            return answer
        record = NpoRecord(bdc_number=body.bdc_number, code_t=body.code_t, plate=body.plate, vin=body.vin,
                           sale_date=body.sale_date,
                           fee_ht=Decimal(reference.load("warranty_products")["npo_fee_ht"]))
        session.add(record)
        session.flush()
        record.reference = f"NPO{record.id:08d}"
    return jsonify(_npo_json(record)), 201


def _npo_json(record: NpoRecord) -> dict:
    return {"npo_reference": record.reference, "bdc_number": record.bdc_number,
            "fee_ht": str(record.fee_ht)}


@bp.post("/contracts")
def create_contract():
    """Create the warranty contract of a sale. Idempotent on bdc_number: one sale, one contract."""
    from simulators.icare.wire import ContractIn
    body, failure = json_body(ContractIn)
    if failure:
        return failure
    product = reference.warranty_product(body.product)
    if product is None or product["label"] != body.label or body.duration_months not in product["durations"]:
        return error_response(422, f"Produit {body.product} ({body.duration_months} mois) non proposé "
                                   f"pour le label {body.label}.", "product")
    db = current_app.extensions["db"]
    try:
        with db.transaction() as session:
            answer = _answered(session, body, Contract, contract_json)
            if answer is not None:
                return answer
            end_date = add_months(body.start_date, body.duration_months)
            overlapping = _overlapping_contract(session, body.vehicle.vin, body.start_date, end_date)
            if overlapping is not None:
                return error_response(
                    422, f"Le véhicule {body.vehicle.vin} est déjà garanti par le contrat n° "
                         f"{overlapping.number} (du {overlapping.start_date:%d/%m/%Y} au "
                         f"{overlapping.end_date:%d/%m/%Y}) : un véhicule ne peut être garanti qu'une "
                         f"fois sur une même période.", "vehicle.vin")
            contract = Contract(
                bdc_number=body.bdc_number, code_t=body.code_t, label=body.label, product=body.product,
                duration_months=body.duration_months, start_date=body.start_date, end_date=end_date,
                premium_ttc=Decimal(product["premium_ttc"][str(body.duration_months)]),
                customer_civility=body.customer.civility, customer_last_name=body.customer.last_name,
                customer_first_name=body.customer.first_name, customer_email=body.customer.email,
                plate=body.vehicle.plate, vin=body.vehicle.vin, brand=body.vehicle.brand,
                model=body.vehicle.model, version=body.vehicle.version,
                mileage_km=body.vehicle.mileage_km, created_at=utcnow())
            session.add(contract)
            session.flush()
            contract.number = contract_number(contract.created_at, contract.id)
    except IntegrityError:  # the same sale sent twice at once: the other request created it
        with db.transaction() as session:
            existing = session.scalar(select(Contract).where(Contract.bdc_number == body.bdc_number))
            return jsonify(contract_json(existing)), 200
    return jsonify(contract_json(contract)), 201


def _overlapping_contract(session, vin: str, start: dt.date, end: dt.date) -> Contract | None:
    """The active contract on this VIN whose period meets [start, end), if any: a vehicle is
    warranted once."""
    return session.scalar(select(Contract).where(
        Contract.vin == vin, Contract.status == "actif", Contract.start_date < end,
        Contract.end_date > start).order_by(Contract.id).limit(1))


def numbered_json(model, number: str, to_json, missing: str):
    """The contract (or policy) ``number`` as JSON, or a 404 saying ``missing``."""
    with current_app.extensions["db"].transaction() as session:
        record = session.scalar(select(model).where(model.number == number))
        if record is None:
            return error_response(404, missing)
        return jsonify(to_json(record))


@bp.get("/contracts/<number>")
def get_contract(number: str):
    return numbered_json(Contract, number, contract_json, f"Aucun contrat n° {number}.")


def upper_arg(name: str) -> str:
    """A search parameter of the query string, trimmed and upper-cased (plates, numbers)."""
    return (request.args.get(name) or "").strip().upper()


def listed_json(key: str, query, to_json):
    """``{key: [...]}``: the records ``query`` selects, as JSON."""
    with current_app.extensions["db"].transaction() as session:
        return jsonify({key: [to_json(r) for r in session.scalars(query)]})


@bp.get("/contracts")
def find_contracts():
    """Contracts by plate (``?plate=AA-123-AA``) or by sale (``?bdc_number=SP…``)."""
    plate, bdc = upper_arg("plate"), upper_arg("bdc_number")
    if not plate and not bdc:
        return error_response(400, "Indiquez une immatriculation (plate) ou un numéro de bon de commande "
                                   "(bdc_number).")
    query = select(Contract).order_by(Contract.id)
    query = query.where(Contract.plate == plate) if plate else query.where(Contract.bdc_number == bdc)
    return listed_json("contracts", query, contract_json)
