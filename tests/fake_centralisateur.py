"""A fake centralisateur for DMS simulator tests: an ``httpx.MockTransport`` that records hand-offs.

Plug it in with the app config ``HANDOFF_TRANSPORT``; switch its behaviour with ``mode``
("accept", "refuse", "error" for a 503, "down") — explicit switches, as httpbin does.
"""
from __future__ import annotations

import json

import httpx

from spoticar_handoff import HandoffIn


class FakeCentralisateur:
    """Records the hand-offs it receives and answers like the v1 API (``transport`` for httpx)."""
    def __init__(self):
        self.mode = "accept"
        self.handoffs: list[dict] = []
        self.states: dict[str, dict] = {}
        self.status_calls = 0
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        if self.mode == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if self.mode == "error":
            return httpx.Response(503, text="Service Unavailable")
        if request.method == "POST" and request.url.path == "/api/v1/handoffs":
            body = json.loads(request.content)
            if self.mode == "refuse":
                return httpx.Response(422, json={"errors": [
                    {"field": "vehicle.brand", "message": "Marque TATA non admise."}]})
            HandoffIn.model_validate(body)  # what we send must be a valid v1 body
            self.handoffs.append(body)
            bdc = f"SP{body['dealer']['rrdi']}{len(self.handoffs):09d}"
            self.states.setdefault(bdc, {"bdc_number": bdc, "status": "pending"})
            return httpx.Response(201, json={"handoff_id": len(self.handoffs), "bdc_number": bdc,
                                             "declaration_url": f"http://cds.test/declaration/{bdc}",
                                             "status": "pending"})
        if request.method == "GET" and request.url.path.startswith("/api/v1/declarations/"):
            self.status_calls += 1
            bdc = request.url.path.rsplit("/", 1)[1]
            if bdc not in self.states:
                return httpx.Response(404, json={"errors": [{"field": None, "message": "Inconnue."}]})
            return httpx.Response(200, json=self.states[bdc])
        return httpx.Response(404, json={"errors": [{"field": None, "message": "Introuvable."}]})

    def declare(self, bdc: str, contract_number: str = "22611000042") -> dict:
        """Make the declaration ``bdc`` declared with a Stellantis contract; returns the state."""
        self.states[bdc] = {"bdc_number": bdc, "status": "declared",
                            "garantisseur": "stellantis", "contract_number": contract_number}
        return self.states[bdc]
