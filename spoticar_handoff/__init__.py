"""Spoticar hand-off SDK (v1): what a DMS needs to hand a VO sale off to a Spoticar centralisateur.

Depends only on pydantic and httpx. ``pip install`` it, then::

    from spoticar_handoff import HandoffClient, verify_callback

    with HandoffClient("https://cds.example", api_key) as client:
        receipt = client.send(payload)      # bdc_number, declaration_url, status, warnings
        state = client.status(receipt.bdc_number)

See ``models`` (wire models), ``fields`` (normalisers), ``eligibility`` (the rules), ``statuses``,
``callbacks`` (signed callbacks) and ``catalogue`` (brands, usages, warranty products).
"""
import importlib

# name → submodule: each is imported at its first use (PEP 562), so a program importing one part of
# the SDK (the catalogue, the statuses) does not pay for pydantic and httpx before it needs them
_EXPORTS = {
    "callbacks": ("CALLBACK_PATH", "DELIVERY_HEADER", "SIGNATURE_HEADER", "TIMESTAMP_HEADER", "CallbackRejected",
                  "MemorySeenDeliveries", "SeenDeliveries", "sign_callback", "verify_callback"),
    "client": ("HandoffClient",),
    "errors": ("CentralisateurUnavailable", "HandoffError", "HandoffRefused"),
    "eligibility": ("Refusal", "refusals"),
    "models": ("DeclarationState", "HandoffIn", "HandoffReceipt", "HandoffWarning"),
    "statuses": ("FINAL_STATUSES", "STATUSES", "DeclarationStatus", "is_final"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = list(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
