"""Test support shared by the API and browser suites, over HTTP only (so a suite works the same against
its own stack and against apps started elsewhere): the apps' ``/__test__`` routes, a fresh dealer known
to the centralisateur and Icare, due jobs run now, Icare contract look-ups."""
from __future__ import annotations

import time

import httpx
import pytest

from harness.apps import APPS
from spoticar_handoff.tls import tls_context

# What the suites need from the apps they start (and ``up --test-routes`` gives an external stack):
# the test routes, and demo dealers whose Profil is configured so DMS flows go straight to 1/3.
SUITE_CONFIG: dict[str, dict] = {spec.name: {"TEST_ROUTES": True} for spec in APPS}
SUITE_CONFIG["centralisateur"] = {"TEST_ROUTES": True, "DEMO_PROFILES_CONFIGURED": True}

NO_TEST_ROUTES = ("{app} ({url}) n'a pas de routes de test /__test__ : démarrez la pile avec "
                  "« spoticar-harness up --test-routes »")


def call_test_route(stack, app: str, method: str, path: str, **kwargs) -> httpx.Response:
    """Call ``app``'s ``/__test__{path}``; the test is skipped (with the reason) when the app has none."""
    url = stack.url(app)
    kwargs.setdefault("verify", tls_context())
    kwargs["headers"] = {**stack.credentials.test_headers(), **(kwargs.get("headers") or {})}
    response = httpx.request(method, f"{url}/__test__{path}", timeout=20, **kwargs)
    if response.status_code == 404 and "Enregistrement introuvable" not in response.text:
        pytest.skip(NO_TEST_ROUTES.format(app=app, url=url))
    return response


def record(stack, app: str, path: str) -> dict:
    """A record as ``app`` stores it, read through its test routes (e.g. ``/orders/4586``)."""
    response = call_test_route(stack, app, "GET", path)
    assert response.status_code == 200, response.text
    return response.json()


def create(stack, app: str, path: str, body: dict) -> dict:
    """Create data in ``app`` through its test routes; the created record."""
    response = call_test_route(stack, app, "POST", path, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def run_due_jobs(stack, until=None, seconds: float = 10.0) -> None:
    """Deliver now what the centralisateur's worker has due (signed callbacks, Icare retries). With
    ``until`` (a callable), again until it holds, bounded: a job the background worker has claimed
    is delivered by it, a moment later."""
    deadline = time.monotonic() + seconds
    while True:
        response = call_test_route(stack, "centralisateur", "POST", "/jobs/run")
        assert response.status_code == 200, response.text
        if until is None or until() or time.monotonic() > deadline:
            return
        time.sleep(0.05)


def new_dealer(stack, factory, dms: str = "tec3h", configuration: str = "assurance", **flags) -> dict:
    """A dealer that exists nowhere else (its own RRDI, code T and login), for tests that count."""
    rrdi = factory.rrdi()
    dealer = {"rrdi": rrdi, "name": f"GARAGE {factory.fake.last_name().upper()} TEST", "dms": dms,
              "code_t": f"T{factory.rng.randint(50000, 99999)}", "configuration": configuration,
              "login": f"vo.{rrdi.lower()}@garage-test.example.fr", "password": factory.fake.password(length=16),
              "convention_email": f"convention.{rrdi.lower()}@garage-test.example.fr", **flags}
    for app in ("centralisateur", "icare"):
        create(stack, app, "/dealers", dealer)
    return dealer


def icare_contracts(stack, **query) -> list[dict]:
    """Contracts Icare holds, through its contract API (``plate=``, ``bdc_number=``, ``code_t=``…)."""
    response = httpx.get(stack.url("icare") + "/api/v1/contracts", params=query, timeout=20,
                         headers=stack.credentials.icare_headers(), verify=tls_context())
    assert response.status_code == 200, response.text
    return response.json()["contracts"]


def icare_contract(stack, number: str) -> dict | None:
    """The contract ``number`` as Icare holds it, or None."""
    response = httpx.get(f"{stack.url('icare')}/api/v1/contracts/{number}", timeout=20,
                         headers=stack.credentials.icare_headers(), verify=tls_context())
    return response.json() if response.status_code == 200 else None


def allow_callback_origin(stack, origin: str, dms: str = "tec3h") -> None:
    """Let ``dms`` be called back on a test's own receiver (a private origin the SSRF guard would
    otherwise refuse), as a real deployment's configuration does for a vendor's staging DMS."""
    response = call_test_route(stack, "centralisateur", "POST", "/callback-origins", json={"dms": dms, "origin": origin})
    assert response.status_code == 201, response.text
