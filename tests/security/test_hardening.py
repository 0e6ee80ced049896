"""Hardening: no caching of personal data, private database files, RFC 3339 timestamps on the
APIs, 405 answers that name the allowed methods."""
from __future__ import annotations

import datetime as dt
import stat

import httpx
import pytest

from fixtures import reference
from fixtures.icare_factories import icare_sale
from tests.centralisateur.support import api_client, login, open_form

pytestmark = pytest.mark.centralisateur


def _rfc3339(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert value.tzinfo is not None, text
    return value


def test_pages_and_pdfs_with_personal_data_are_not_cached(stack, factory):
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
        browser, url, values = open_form(stack, receipt["declaration_url"])
        assert browser.get(url).headers["Cache-Control"] == "no-store"
        page = browser.post(url, data=values)
        assert page.headers["Cache-Control"] == "no-store"
        pdf = browser.get(url.replace("/formulaire", "/releve.pdf"))
        assert pdf.headers["Content-Type"] == "application/pdf" and pdf.headers["Cache-Control"] == "no-store"
        assert api.get(f"/api/v1/declarations/{receipt['bdc_number']}").headers["Cache-Control"] == "no-store"
    assert login(stack).get("/").headers["Cache-Control"] == "no-store"
    for app in ("icare", "portail_b2b", "pvo2", "tec3h", "bee2link", "neovo"):
        assert httpx.get(stack.url(app) + "/", timeout=20).headers.get("Cache-Control") == "no-store", app


def test_database_files_are_readable_by_their_owner_only(stack):
    if not stack.apps:
        pytest.skip("toutes les applications sont externes : leurs fichiers sont sur leur propre hôte")
    files = [p for name in stack.apps for p in (stack.data_dir / name).rglob("*.sqlite3*")]
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_api_timestamps_are_rfc3339_with_a_timezone(stack, factory):
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
        browser, url, values = open_form(stack, receipt["declaration_url"])
        browser.post(url, data=values)
        state = api.get(f"/api/v1/declarations/{receipt['bdc_number']}").json()
    assert abs(_rfc3339(state["declared_at"]) - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    _npo, contract = icare_sale(factory, reference.demo_dealer("953617Z"))
    headers = {"Authorization": "Bearer demo-icare-service"}
    httpx.post(stack.url("icare") + "/api/v1/npo", json=_npo, headers=headers, timeout=20)
    created = httpx.post(stack.url("icare") + "/api/v1/contracts", json=contract, headers=headers, timeout=20)
    assert created.status_code == 201, created.text
    _rfc3339(created.json()["created_at"])


@pytest.mark.parametrize("app,path,allowed", [("centralisateur", "/api/v1/handoffs", "POST"),
                                              ("centralisateur", "/deconnexion", "POST"),
                                              ("icare", "/api/v1/contracts", "POST"),
                                              ("tec3h", "/stock", "GET")])
def test_405_names_the_allowed_methods(stack, app, path, allowed):
    response = httpx.request("PATCH", stack.url(app) + path, timeout=20)
    assert response.status_code == 405
    assert allowed in [m.strip() for m in response.headers["Allow"].split(",")]
