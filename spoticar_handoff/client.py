"""The client of the v1 hand-off API: what a DMS (our simulators, or a vendor) calls.

    client = HandoffClient(base_url, api_key)
    receipt = client.send(payload)          # HandoffReceipt, or raises HandoffRefused / CentralisateurUnavailable
    state = client.status(receipt.bdc_number)

Give it your own ``httpx.Client`` (``http=``) to choose timeouts, proxies, a transport or event hooks;
the client then adds only the ``Authorization`` header and leaves yours open on ``close()``.
"""
from __future__ import annotations

from urllib.parse import quote

import httpx

from spoticar_handoff.errors import (  # noqa: F401
    CentralisateurUnavailable,
    HandoffError,
    HandoffRefused,
)
from spoticar_handoff.models import DeclarationState, HandoffReceipt
from spoticar_handoff.tls import tls_context  # noqa: F401  (the SDK's clients share it; re-exported)

HANDOFFS_PATH = "/api/v1/handoffs"
DECLARATIONS_PATH = "/api/v1/declarations/{bdc_number}"


class HandoffClient:
    """Sends hand-offs and reads declaration states with one DMS's API key."""

    def __init__(self, base_url: str, api_key: str, *, http: httpx.Client | None = None,
                 timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self._own_http = http is None
        self._http = http if http is not None else httpx.Client(timeout=timeout, verify=tls_context())

    def close(self) -> None:
        """Close the HTTP client if this object made it."""
        if self._own_http:
            self._http.close()

    def __enter__(self) -> HandoffClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"}
        try:
            response = self._http.request(method, self.base_url + path, headers=headers, **kwargs)
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
            except (ValueError, AttributeError):
                errors = []
            text = " ; ".join(e.get("message", "") for e in errors if isinstance(e, dict)) \
                or "le centralisateur Spoticar a refusé la demande."
            raise HandoffRefused(f"Déclaration refusée par le centralisateur : {text}",
                                 response.status_code, errors)
        return response

    def send(self, payload: dict) -> HandoffReceipt:
        """POST the hand-off; sending the same DMS order again returns the same hand-off. The
        receipt's ``warnings`` list the fields the dealer will have to correct on the form."""
        return HandoffReceipt.model_validate(self._call("POST", HANDOFFS_PATH, json=payload).json())

    def status(self, bdc_number: str) -> DeclarationState:
        """The declaration's current state (``status``, ``contract_number``…)."""
        path = DECLARATIONS_PATH.format(bdc_number=quote(bdc_number, safe=""))
        return DeclarationState.model_validate(self._call("GET", path).json())
