"""Spoticar hand-off SDK (v1): what a DMS needs to hand a VO sale off to a Spoticar centralisateur.

Depends only on pydantic and httpx. ``pip install`` it, then::

    from spoticar_handoff import HandoffClient, verify_callback

    with HandoffClient("https://cds.example", api_key) as client:
        receipt = client.send(payload)      # bdc_number, declaration_url, status, warnings
        state = client.status(receipt.bdc_number)

See ``models`` (wire models), ``fields`` (normalisers), ``eligibility`` (the rules), ``statuses``,
``callbacks`` (signed callbacks) and ``catalogue`` (brands, usages, warranty products).
"""
from spoticar_handoff.callbacks import (CALLBACK_PATH, DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER,
                                        CallbackRejected, MemorySeenDeliveries, SeenDeliveries,
                                        sign_callback, verify_callback)
from spoticar_handoff.client import CentralisateurUnavailable, HandoffClient, HandoffError, HandoffRefused
from spoticar_handoff.eligibility import Refusal, refusals
from spoticar_handoff.models import DeclarationState, HandoffIn, HandoffReceipt, HandoffWarning
from spoticar_handoff.statuses import FINAL_STATUSES, STATUSES, DeclarationStatus, is_final

__all__ = [
    "CALLBACK_PATH", "DELIVERY_HEADER", "SIGNATURE_HEADER", "TIMESTAMP_HEADER", "CallbackRejected",
    "MemorySeenDeliveries", "SeenDeliveries", "sign_callback", "verify_callback",
    "CentralisateurUnavailable", "HandoffClient", "HandoffError", "HandoffRefused",
    "Refusal", "refusals", "DeclarationState", "HandoffIn", "HandoffReceipt", "HandoffWarning",
    "FINAL_STATUSES", "STATUSES", "DeclarationStatus", "is_final",
]
