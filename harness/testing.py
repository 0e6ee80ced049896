"""Test support shared by the API and browser suites: a fresh dealer known to both the
centralisateur and Icare, through their test-only routes."""
from __future__ import annotations

import httpx


def new_dealer(stack, factory, dms: str = "tec3h", configuration: str = "assurance", **flags) -> dict:
    """A dealer that exists nowhere else (its own RRDI, code T and login), for tests that count."""
    rrdi = factory.rrdi()
    dealer = {"rrdi": rrdi, "name": f"GARAGE {factory.fake.last_name().upper()} TEST", "dms": dms,
              "code_t": f"T{factory.rng.randint(50000, 99999)}", "configuration": configuration,
              "login": f"vo.{rrdi.lower()}@garage-test.example.fr", "password": factory.fake.password(length=16),
              "convention_email": f"convention.{rrdi.lower()}@garage-test.example.fr", **flags}
    for app in ("centralisateur", "icare"):
        response = httpx.post(stack.url(app) + "/__test__/dealers", json=dealer, timeout=20)
        assert response.status_code == 201, response.text
    return dealer


def allow_callback_origin(stack, origin: str, dms: str = "tec3h") -> None:
    """Let ``dms`` be called back on a test's own receiver (a private origin the SSRF guard would
    otherwise refuse), as a real deployment's configuration does for a vendor's staging DMS."""
    response = httpx.post(stack.url("centralisateur") + "/__test__/callback-origins",
                          json={"dms": dms, "origin": origin}, timeout=20)
    assert response.status_code == 201, response.text
