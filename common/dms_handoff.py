"""What a DMS simulator needs to hand a sale off to the centralisateur and hear back from it.

Used by the Bee2link and NeoVO simulators: the DMS's API key (demo key in demo mode, else config),
a ``HandoffClient`` aimed at ``URLS["centralisateur"]``, sending a hand-off, refreshing a declaration's
state by polling, and the signed callback. Tests may
plug an ``httpx`` transport in with config ``HANDOFF_TRANSPORT`` (an explicit switch, no patching).
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import closing

from flask import Flask, jsonify, request
from sqlalchemy import select

from centralisateur.client import HandoffClient, HandoffError, verify_callback
from centralisateur.contract import DeclarationState, HandoffReceipt
from common import keys
from common.web import error_response
from common.dates import add_months
from fixtures import reference

CALLBACK_PATH = "/api/spoticar/callback"


dms_api_key = keys.dms_key  # the key policy lives in common.keys


def centralisateur_url(config: dict) -> str | None:
    """The centralisateur's base URL from config ``URLS`` (None when not wired)."""
    return (config.get("URLS") or {}).get("centralisateur")


def handoff_client(app: Flask, dms: str) -> HandoffClient:
    """A client for this app's centralisateur; the caller closes it (``with closing(...)``)."""
    url = centralisateur_url(app.config) or "http://127.0.0.1:9"  # port 9: nobody answers
    return HandoffClient(url, dms_api_key(app.config, dms), timeout=app.config.get("HANDOFF_TIMEOUT", 10.0),
                         transport=app.config.get("HANDOFF_TRANSPORT"))


def callback_url(app: Flask) -> str | None:
    """Where the centralisateur POSTs the declaration state (None when the app has no public URL)."""
    public = app.config.get("PUBLIC_URL")
    return public.rstrip("/") + CALLBACK_PATH if public else None


def received_callback(app: Flask, dms: str) -> DeclarationState | None:
    """The ``DeclarationState`` of the current request if its signature is right, else None."""
    try:
        return verify_callback(request.get_data(), request.headers.get("X-Spoticar-Signature"),
                               dms_api_key(app.config, dms))
    except ValueError:  # a body that is not a DeclarationState
        return None


FINAL_STATUSES = ("declared", "refused")
GARANTISSEUR_NAMES = {g["code"]: g["name"] for g in reference.garantisseurs()}
STATUS_LABELS = {"pending": "En attente de déclaration",
                 "contract_pending": "Contrat en attente de création",
                 "declared": "Déclarée", "refused": "Refusée"}


def warranty_for_level(level: str, start) -> dict | None:
    """The hand-off ``warranty`` for a DMS warranty level ("DS Certified 12 mois"), if known."""
    found = reference.product_for_dms_level(level)
    if found is None:
        return None
    product, months = found
    return {"label": product["label"], "product": product["product"], "duration_months": months,
            "start_date": start.isoformat(), "loyalty_product": "Aucun"}


def apply_state(record, state: DeclarationState) -> bool:
    """Copy a declaration state onto a DMS record (``declaration_status``, ``garantisseur``,
    ``contract_number``); a known contract number is never erased and a final status never goes back
    (a late, stale state loses). True when the contract is new."""
    if record.declaration_status not in FINAL_STATUSES or state.status.value in FINAL_STATUSES:
        record.declaration_status = state.status.value
    record.garantisseur = state.garantisseur or record.garantisseur
    if state.contract_number and state.contract_number != record.contract_number:
        record.contract_number = state.contract_number
        return True
    return False


MANUFACTURER_WARRANTY_MONTHS = 24  # the brands' standard VN warranty: 2 years, mileage unlimited
UNLIMITED_KM = 999999


def manufacturer_warranty(first_registration) -> dict:
    """``manufacturer_warranty_end`` / ``_km`` for a vehicle the DMS knows only by its first registration."""
    end = add_months(first_registration, MANUFACTURER_WARRANTY_MONTHS)
    return {"manufacturer_warranty_end": end.isoformat(), "manufacturer_warranty_km": UNLIMITED_KM}


OnContract = Callable[[object, DeclarationState], None] | None


def send_handoff(app: Flask, dms: str, record, payload: dict) -> tuple[HandoffReceipt, bool]:
    """Send ``payload`` and keep the answer on ``record`` (``bdc_number``, ``declaration_url``,
    ``declaration_status``). Raises ``HandoffRefused`` / ``CentralisateurUnavailable`` with ``record``
    untouched. Returns the receipt and whether this bon de commande is new for the record."""
    session = app.extensions["db"].session
    session.commit()  # end the read transaction: no lock held while the centralisateur works
    with closing(handoff_client(app, dms)) as client:
        receipt = client.send(payload)
    first_time = record.bdc_number != receipt.bdc_number
    record.bdc_number, record.declaration_url = receipt.bdc_number, receipt.declaration_url
    record.declaration_status = record.declaration_status or receipt.status.value
    session.add(record)
    session.commit()
    return receipt, first_time


def refresh_state(app: Flask, dms: str, record, on_new_contract: OnContract = None) -> str | None:
    """While the record's declaration is not final, ask the centralisateur (its callback may have been
    lost). Returns a French message when it could not be asked; the page is shown anyway."""
    if not record.bdc_number or record.declaration_status in FINAL_STATUSES:
        # "declared" is final: a Stellantis contract is known by then, other garantisseurs have none
        return None
    session = app.extensions["db"].session
    session.commit()  # no lock held while asking: the centralisateur may be calling us back
    try:
        with closing(handoff_client(app, dms)) as client:
            state = client.status(record.bdc_number)
    except HandoffError as exc:
        return exc.message
    _record_state(record, state, on_new_contract)
    session.commit()
    return None


def callback_response(app: Flask, dms: str, model, on_new_contract: OnContract = None):
    """The view body of ``POST CALLBACK_PATH``: check the signature, update the ``model`` row whose
    ``bdc_number`` the state names."""
    state = received_callback(app, dms)
    if state is None:
        return error_response(401, "Signature X-Spoticar-Signature absente ou invalide.")
    session = app.extensions["db"].session
    record = session.scalar(select(model).where(model.bdc_number == state.bdc_number))
    if record is None:
        return error_response(404, f"Numéro de bon de commande inconnu : {state.bdc_number}.")
    _record_state(record, state, on_new_contract)
    session.commit()
    return jsonify({"bdc_number": record.bdc_number, "status": record.declaration_status})


def _record_state(record, state: DeclarationState, on_new_contract: OnContract) -> None:
    if apply_state(record, state) and on_new_contract:
        on_new_contract(record, state)


def vehicle_payload(vehicle) -> dict:
    """The hand-off ``vehicle`` of a record with ``common.dms_store.VehicleColumns`` (a VP)."""
    return {"kind": "VP", "plate": vehicle.plate, "vin": vehicle.vin, "brand": vehicle.brand,
            "model": vehicle.model, "version": vehicle.version, "energy": vehicle.energy,
            "first_registration": vehicle.first_registration.isoformat(), "din_power": vehicle.din_power,
            "fiscal_power": vehicle.fiscal_power, "kw_power": vehicle.kw_power,
            "mileage_km": vehicle.mileage_km, "usage": vehicle.usage, "ptac_kg": vehicle.ptac_kg,
            **manufacturer_warranty(vehicle.first_registration)}
