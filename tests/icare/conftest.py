"""An Icare app per test (temporary data directory, demo dealers seeded) and portal helpers."""
from __future__ import annotations

import re

import pytest

from common.outbox import body_links
from fixtures import reference
from fixtures.icare_factories import icare_sale
from harness.template_cache import template_cache
from simulators import icare
from simulators.icare.store import outbox
from tests.seeded import seeded_app

SERVICE_KEY = "test-icare-service-key"
TEST_KEY = "cle-des-routes-de-test-icare"  # outside demo mode, the test routes and /admin/faults ask for it
STRONG = "Garage-Lyon-2026!x"  # meets every rule


@pytest.fixture
def app(tmp_path):
    app = seeded_app(icare, {"DATA_DIR": str(tmp_path), "ICARE_SERVICE_KEY": SERVICE_KEY, "TEST_ROUTES": True,
                             "TEST_ROUTES_KEY": TEST_KEY, "WTF_CSRF_ENABLED": False})
    # templates compiled once and kept, as up's apps do: an app per test compiled each page again
    app.jinja_env.bytecode_cache = template_cache(app.jinja_env)
    yield app
    app.extensions["db"].dispose()


@pytest.fixture
def client(app):
    client = app.test_client()
    client.environ_base["HTTP_X_SPOTICAR_TEST_KEY"] = TEST_KEY
    return client


def dealer(rrdi: str) -> dict:
    return reference.demo_dealer(rrdi)


def last_link(app, to: str, text: str) -> str:
    """The path of the link after ``text`` (« Réinitialiser mon mot de passe : URL ») in the newest mail
    sent to ``to``."""
    with app.extensions["db"].transaction() as session:
        mails = outbox.mails(session, to)
        assert mails, f"aucun mail pour {to}"
        url = next(body_links(line)[0] for line in mails[0].body.splitlines() if text in line and body_links(line))
    return re.sub(r"^https?://[^/]+", "", url)


def mail_count(app, to: str) -> int:
    with app.extensions["db"].transaction() as session:
        return len(outbox.mails(session, to))


def become_admin(client, app, rrdi: str, password: str = STRONG) -> str:
    """Create the dealer's administrator through « Mot de passe oublié ? »; returns its email."""
    email = dealer(rrdi)["convention_email"]
    client.post("/mot-de-passe-oublie", data={"email": email})
    link = last_link(app, email, "Réinitialiser mon mot de passe")
    response = client.post(link, data={"email": email, "password": password, "confirmation": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return email


def log_in(client, email: str, password: str = STRONG):
    return client.post("/connexion", data={"email": email, "password": password})


def api_sale(client, factory, rrdi: str, start=None) -> dict:
    """NPO record + contract through the Icare API (as the centralisateur does); the contract JSON."""
    npo, contract = icare_sale(factory, dealer(rrdi), start)
    headers = {"Authorization": f"Bearer {SERVICE_KEY}"}
    assert client.post("/api/v1/npo", json=npo, headers=headers).status_code == 201
    response = client.post("/api/v1/contracts", json=contract, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def create_user(client, rights: list[str] | None = None, email: str = "lea.martin@garage-demo.example.fr", **extra):
    data = {"last_name": "Martin", "first_name": "Léa", "email": email, "mobile": "06 23 42 54 55",
            "phone": "", "rights": rights, **extra}
    return client.post("/gestion-des-comptes/nouveau", data=data)
