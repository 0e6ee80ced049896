"""The centralisateur's calls to Icare's contract API, over HTTP like the real systems."""
from __future__ import annotations

import httpx


class IcareUnavailable(Exception):
    """Icare did not answer, or answered 5xx/401: retry later, nothing is lost."""


class IcareRefused(Exception):
    """Icare refused the request for a business reason (4xx): the declaration is refused."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IcareClient:
    def __init__(self, base_url: str, service_key: str, timeout: float = 5.0):
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout,
                                  headers={"Authorization": f"Bearer {service_key}"})

    def _post(self, path: str, body: dict) -> dict:
        try:
            response = self._http.post(path, json=body)
        except httpx.HTTPError as exc:
            raise IcareUnavailable(str(exc)) from exc
        if response.status_code >= 500 or response.status_code in (401, 408, 429):
            raise IcareUnavailable(f"HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError as exc:
            raise IcareUnavailable("réponse illisible") from exc
        if response.status_code >= 400:
            messages = [e.get("message", "") for e in data.get("errors", [])] if isinstance(data, dict) else []
            raise IcareRefused(" ; ".join(m for m in messages if m) or "Le gestionnaire Icare a refusé la demande.")
        return data

    def create_npo(self, body: dict) -> dict:
        return self._post("/api/v1/npo", body)

    def create_contract(self, body: dict) -> dict:
        return self._post("/api/v1/contracts", body)

    def close(self) -> None:
        self._http.close()
