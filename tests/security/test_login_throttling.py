"""Login brute force on Icare's and the Portail B2B's login forms, over HTTP (the centralisateur's is in
test_sessions.py): one client trying many accounts is stopped with a French 429, even on a right
password afterwards, while the same account from another client still signs in."""
from __future__ import annotations

import html

import httpx
import pytest

from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE
from tests.security.test_csrf_and_fixation import LOGINS, _password

pytestmark = pytest.mark.centralisateur

CASES = {  # app: (the n-th unknown account's fields, the lock's words)
    "icare": (lambda n: {"email": f"inconnu{n}@garage-inconnu.example.fr"}, "Trop de tentatives"),
    "portail_b2b": (lambda n: {"identifiant": f"V9{n:05d}"}, "Accès bloqué"),
}


def _client(stack, app: str, address: str) -> httpx.Client:
    return httpx.Client(verify=tls_context(), base_url=stack.url(app), timeout=20,
                        transport=httpx.HTTPTransport(local_address=address))


@pytest.mark.parametrize("app", list(CASES))
def test_one_client_trying_many_accounts_is_stopped_in_french(stack, app, client_address):
    unknown, words = CASES[app]
    address = client_address(f"attaquant-{app}")  # a client of its own
    known, _private = LOGINS[app]
    with _client(stack, app, address) as attacker:
        token = CSRF_RE.search(attacker.get("/connexion").text).group(1)
        answers = [attacker.post("/connexion", data={"csrf_token": token, **unknown(n), "password": "x"})
                   for n in range(20)]
        assert [a.status_code for a in answers] == [401] * 19 + [429]
        assert words in html.unescape(answers[-1].text)
        right = attacker.post("/connexion", data={"csrf_token": token, **known, "password": _password(stack, app)})
        assert right.status_code == 429  # the client is stopped, whatever it tries now
    with _client(stack, app, client_address(f"titulaire-{app}")) as owner:
        token = CSRF_RE.search(owner.get("/connexion").text).group(1)
        signed_in = owner.post("/connexion", data={"csrf_token": token, **known, "password": _password(stack, app)})
    assert signed_in.status_code in (302, 303)
