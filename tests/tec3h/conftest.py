"""Tec3H app on a temporary data directory, seeded with the demo data; the centralisateur is the fake
one (``tests.fake_centralisateur``) whose behaviour each test chooses (accept, refuse, down)."""
from __future__ import annotations

import re

import pytest

from harness.template_cache import template_cache
from simulators import tec3h
from tests.fake_centralisateur import FakeCentralisateur
from tests.seeded import seeded_app


@pytest.fixture
def centralisateur() -> FakeCentralisateur:
    """The fake centralisateur answering as the seed's (one bdc number, Tec3H's refusal wording)."""
    fake = FakeCentralisateur()
    fake.refusal = [{"field": "vehicle.brand",
                     "message": "Véhicule non éligible : la marque TATA ne fait pas partie des marques admises."}]
    fake.state = {"status": "pending", "contract_number": None}
    fake.bdc_suffix = "103833712"
    fake.declaration_url = "http://centralisateur.test/declaration/tok"
    return fake


@pytest.fixture
def app(tmp_path, centralisateur):
    app = seeded_app(tec3h, {"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "WTF_CSRF_ENABLED": False,
                             "URLS": {"centralisateur": "http://centralisateur.test"},
                             "PUBLIC_URL": "http://tec3h.test",
                             "HANDOFF_TRANSPORT": centralisateur.transport})
    # templates compiled once and kept, as up's apps do: an app per test compiled each page again
    app.jinja_env.bytecode_cache = template_cache(app.jinja_env)
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


@pytest.fixture
def vid(app) -> int:
    """The demo vehicle with a Commande (DL-342-MP)."""
    return vehicle_id(app, "DL-342-MP")


def warranty_form(client, vid: int) -> dict[str, str]:
    """What a browser would post on « Nouvelle garantie Spoticar » of vehicle ``vid`` as shown."""
    return form_values(client.get(f"/vehicules/{vid}/garantie/spoticar").data.decode())
