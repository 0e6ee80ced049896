"""Tec3H app on a temporary data directory, seeded with the demo data; the centralisateur is a
``httpx.MockTransport`` whose behaviour each test chooses (accept, refuse, down)."""
from __future__ import annotations

import json
import re

import httpx
import pytest

from simulators import tec3h


class FakeCentralisateur:
    """Records every hand-off; ``mode`` is "accept", "refuse" or "down"; ``state`` answers polling."""

    def __init__(self):
        self.mode = "accept"
        self.handoffs: list[dict] = []
        self.refusal = [{"field": "vehicle.brand",
                         "message": "Véhicule non éligible : la marque TATA ne fait pas partie des "
                                    "marques admises."}]
        self.state = {"status": "pending", "contract_number": None}
        self.during = None  # called inside each request, to look at Tec3H while it waits

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.during:
            self.during()
        if request.url.path.startswith("/api/v1/declarations/"):
            return httpx.Response(200, json={"bdc_number": request.url.path.rsplit("/", 1)[1], **self.state})
        if self.mode == "down":
            raise httpx.ConnectError("connexion refusée", request=request)
        self.handoffs.append(json.loads(request.content))
        if self.mode == "refuse":
            return httpx.Response(422, json={"errors": self.refusal})
        return httpx.Response(201, json={"handoff_id": 1, "bdc_number": "SP953617Z103833712",
                                         "declaration_url": "http://centralisateur.test/declaration/tok",
                                         "status": "pending"})


@pytest.fixture
def centralisateur() -> FakeCentralisateur:
    return FakeCentralisateur()


@pytest.fixture
def app(tmp_path, centralisateur):
    app = tec3h.create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "WTF_CSRF_ENABLED": False,
                            "URLS": {"centralisateur": "http://centralisateur.test"},
                            "PUBLIC_URL": "http://tec3h.test",
                            "HANDOFF_TRANSPORT": httpx.MockTransport(centralisateur)})
    tec3h.seed_demo(app, 0)
    yield app
    app.extensions["harness_stop"]()


@pytest.fixture
def client(app):
    return app.test_client()


def form_values(html: str) -> dict[str, str]:
    """The values of a rendered form's text inputs and selected options, by field name."""
    values = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        kind, name = attrs.get("type", "text"), attrs.get("name", "")
        if kind == "text" and re.fullmatch(r"[a-z_0-9]+", name):
            values[name] = attrs.get("value", "")
        elif kind == "checkbox" and re.search(r"\schecked\b", tag):
            values[name] = "on"
    for name, body in re.findall(r'<select id="[^"]*" name="([a-z_0-9]+)".*?>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"\s+selected', body)
        values[name] = chosen.group(1) if chosen else ""
    return {k: v.replace("&#39;", "'").replace("&amp;", "&") for k, v in values.items()}


def vehicle_id(app, plate: str) -> int:
    from sqlalchemy import select

    from simulators.tec3h.store import Vehicle
    with app.app_context():
        return app.extensions["db"].session.scalar(select(Vehicle.id).where(Vehicle.plate == plate))
