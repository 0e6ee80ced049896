"""A small client for the v1 hand-off API: what a DMS (our simulators, or a vendor) calls.

    client = HandoffClient(base_url, api_key="demo-tec3h")
    receipt = client.send(payload)          # HandoffReceipt, or raises HandoffRefused / CentralisateurUnavailable
    state = client.status(receipt.bdc_number)
"""
from __future__ import annotations

import hmac

import httpx

from centralisateur.contract import DeclarationState, HandoffReceipt
from common.auth import sign


class HandoffError(Exception):
    """Base class: ``message`` is French and can be shown to the user as is."""

    def __init__(self, message: str, status: int | None = None, errors: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or []


class HandoffRefused(HandoffError):
    """The centralisateur answered 4xx: the list of ``errors`` says why, field by field."""


class CentralisateurUnavailable(HandoffError):
    """No answer, or a 5xx: nothing was declared; the DMS may retry later."""


class HandoffClient:
    def __init__(self, base_url: str, api_key: str, timeout: float = 10.0,
                 transport: httpx.BaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport,
                                  headers={"Authorization": f"Bearer {api_key}"})

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise CentralisateurUnavailable(
                "Le centralisateur Spoticar ne répond pas : la déclaration n'a pas été transmise, "
                "réessayez dans quelques instants.") from exc
        if response.status_code >= 500:
            raise CentralisateurUnavailable(
                "Le centralisateur Spoticar est en erreur : la déclaration "
                "n'a pas été transmise, réessayez dans quelques instants.", response.status_code)
        if response.status_code >= 400:
            try:
                errors = response.json().get("errors", [])
            except ValueError:
                errors = []
            text = " ; ".join(e.get("message", "") for e in errors) or "Le centralisateur Spoticar a refusé la demande."
            raise HandoffRefused(f"Déclaration refusée par le centralisateur : {text}",
                                 response.status_code, errors)
        return response

    def send(self, payload: dict) -> HandoffReceipt:
        """POST the hand-off; sending the same DMS order again returns the same hand-off."""
        return HandoffReceipt.model_validate(self._call("POST", "/api/v1/handoffs", json=payload).json())

    def status(self, bdc_number: str) -> DeclarationState:
        return DeclarationState.model_validate(
            self._call("GET", f"/api/v1/declarations/{bdc_number}").json())


def verify_callback(body: bytes, signature: str | None, api_key: str) -> DeclarationState | None:
    """Check a callback's ``X-Spoticar-Signature`` with the DMS's key; the state, or None if forged."""
    if not signature or not hmac.compare_digest(sign(body, api_key), signature):
        return None
    return DeclarationState.model_validate_json(body)
