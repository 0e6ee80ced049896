"""What a DMS simulator needs to hand a sale off to the centralisateur and hear back from it.

Used by the Bee2link and NeoVO simulators: the DMS's API key (demo key in demo mode, else config),
a ``HandoffClient`` aimed at ``URLS["centralisateur"]``, and the signed callback check. Tests may
plug an ``httpx`` transport in with config ``HANDOFF_TRANSPORT`` (an explicit switch, no patching).
"""
from __future__ import annotations

import os

from flask import Flask, request

from centralisateur.client import HandoffClient, verify_callback
from centralisateur.contract import DeclarationState
from common.dates import add_months
from fixtures import reference

CALLBACK_PATH = "/api/spoticar/callback"


def dms_api_key(config: dict, dms: str) -> str:
    """The DMS's key for the hand-off API: config / env first, the demo key only in demo mode."""
    key = config.get("CENTRALISATEUR_API_KEY") or os.environ.get(f"SPOTICAR_{dms.upper()}_API_KEY")
    if key:
        return key
    if config.get("DEMO_MODE"):
        return reference.demo_api_keys()[dms]
    raise ValueError(f"CENTRALISATEUR_API_KEY est requis hors mode démo ({dms})")


def centralisateur_url(config: dict) -> str | None:
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


STATUS_LABELS = {"pending": "En attente de déclaration", "contract_pending": "Contrat en attente de création",
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
    ``contract_number``); a known contract number is never erased. True when the contract is new."""
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
    return {"manufacturer_warranty_end": add_months(first_registration, MANUFACTURER_WARRANTY_MONTHS).isoformat(),
            "manufacturer_warranty_km": UNLIMITED_KM}
