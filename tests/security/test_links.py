"""Links in mails come from each app's configured public URL, never from the request's Host header."""
from __future__ import annotations

import httpx
import pytest

from fixtures import reference
from tests.centralisateur.support import CSRF_RE
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur

FORGED = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"}


def _post_form(base: str, path: str, data: dict) -> httpx.Response:
    """GET the form (for its CSRF token) then POST it, both with a forged Host header."""
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20, headers=FORGED) as browser:
        page = browser.get(path)
        token = CSRF_RE.search(page.text)
        return browser.post(path, data={**data, **({"csrf_token": token.group(1)} if token else {})})


def test_icare_reset_link_ignores_a_forged_host(stack):
    email = reference.demo_dealers()[0]["convention_email"]
    response = _post_form(stack.url("icare"), "/mot-de-passe-oublie", {"email": email})
    assert response.status_code < 400
    mails = httpx.get(stack.url("icare") + "/outbox/mails.json", params={"to": email}).json()["mails"]
    links = mails[0]["links"]
    assert links and all(url.startswith(stack.url("icare") + "/") for url in links)
    assert "attacker" not in mails[0]["body"]


def test_portail_b2b_reset_link_ignores_a_forged_host(stack):
    email = "karim.benali@equipements-axilog.example.fr"
    response = _post_form(stack.url("portail_b2b"), "/mot-de-passe-perdu",
                          {"identifiant": "V100004", "email": email})
    assert response.status_code < 400
    mails = httpx.get(stack.url("portail_b2b") + "/outbox/mails.json", params={"to": email}).json()["mails"]
    assert mails and "/mot-de-passe/" in mails[0]["body"]
    assert "attacker" not in mails[0]["body"]
    assert all(url.startswith(stack.url("portail_b2b") + "/") for url in mails[0]["links"])
