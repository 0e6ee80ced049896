"""The centralisateur's calls to Icare's contract API, over HTTP like the real systems."""
from __future__ import annotations

from common.journal import http_client


class IcareUnavailable(Exception):
    """Icare did not answer, or answered anything but a success or a business refusal (5xx, 401, 403,
    404, an unreadable body…): retry later like an outage, nothing is lost."""


# Icare's business answers: 422 (product not offered, unknown code T…), 409 (vehicle already warranted)
BUSINESS_REFUSALS = (409, 422)


class IcareRefused(Exception):
    """Icare refused the sale for a business reason — a 409/422 naming why — : the declaration is refused.
    Nothing else refuses: a 404 or 403 says the path or a proxy is wrong, not the sale."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _messages(data) -> list[str]:
    """The French reasons of an Icare refusal body ``{"errors": [{"message": …}]}``."""
    errors = data.get("errors") if isinstance(data, dict) else None
    if not isinstance(errors, list):
        return []
    return [e["message"] for e in errors if isinstance(e, dict) and isinstance(e.get("message"), str)
            and e["message"]]


class IcareClient:
    def __init__(self, base_url: str, service_key: str, timeout: float = 5.0, *, app=None,
                 bdc: str | None = None):
        # journalled by ``app``; ``bdc`` lets a background retry join the declaration's trace
        self._http = http_client(app, bdc=bdc, base_url=base_url.rstrip("/"), timeout=timeout,
                                 headers={"Authorization": f"Bearer {service_key}"})

    def _post(self, path: str, body: dict) -> dict:
        import httpx  # imported by the client already: not needed when the app starts

        try:
            response = self._http.post(path, json=body)
        except httpx.HTTPError as exc:
            raise IcareUnavailable(str(exc)) from exc
        try:
            data = response.json()
        except ValueError as exc:
            raise IcareUnavailable(f"HTTP {response.status_code}, réponse illisible") from exc
        if response.status_code in BUSINESS_REFUSALS:
            messages = _messages(data)
            if messages:
                raise IcareRefused(" ; ".join(messages))
        if response.status_code not in (200, 201) or not isinstance(data, dict):
            raise IcareUnavailable(f"HTTP {response.status_code}")
        return data

    def _post_for(self, path: str, body: dict, key: str) -> dict:
        data = self._post(path, body)
        if not isinstance(data.get(key), str) or not data[key]:  # a success without its number
            raise IcareUnavailable(f"réponse sans {key}")
        return data

    def create_npo(self, body: dict) -> dict:
        return self._post_for("/api/v1/npo", body, "npo_reference")

    def create_contract(self, body: dict) -> dict:
        return self._post_for("/api/v1/contracts", body, "contract_number")

    def close(self) -> None:
        self._http.close()
