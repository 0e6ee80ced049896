"""Login names under Unicode: an email that names an account is one account whatever its width
(NFKC: « ｖｏ@… » is « vo@… »), and no account can be made to look like another (a Cyrillic « о »
for an « o », an invisible joiner) — on the centralisateur's and Icare's logins and Icare's users."""
from __future__ import annotations

import html
import re

import httpx
import pytest

from fixtures import reference
from spoticar_handoff.client import tls_context
from tests.centralisateur.support import CSRF_RE
from tests.security.test_csrf_and_fixation import _password

pytestmark = pytest.mark.centralisateur

ICARE_ADMIN = "garantie.vo@axilog-demo.example.fr"


def _wide(text: str) -> str:
    """``text`` with its ASCII letters and digits in their full-width forms (U+FF01…)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


@pytest.mark.parametrize("app,login", [("centralisateur", reference.demo_dealer("953617Z")["login"]),
                                       ("icare", ICARE_ADMIN)])
def test_a_full_width_login_is_the_same_account(stack, app, login):
    local, domain = login.split("@")
    with httpx.Client(verify=tls_context(), base_url=stack.url(app), timeout=20) as browser:
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        signed_in = browser.post("/connexion", data={"csrf_token": token, "email": f"{_wide(local.upper())}@{domain}",
                                                     "password": _password(stack, app)})
    assert signed_in.status_code in (302, 303), html.unescape(signed_in.text)[:500]


def _icare_admin(stack) -> httpx.Client:
    browser = httpx.Client(verify=tls_context(), base_url=stack.url("icare"), timeout=20)
    token = CSRF_RE.search(browser.get("/connexion").text).group(1)
    assert browser.post("/connexion", data={"csrf_token": token, "email": ICARE_ADMIN,
                                            "password": _password(stack, "icare")}).status_code in (302, 303)
    return browser


@pytest.mark.parametrize("email,message", [
    ("garantie.v\u043e@axilog-demo.example.fr", "L'identifiant doit être une adresse email valide"),  # Cyrillic о
    ("garantie.vo\u200d@axilog-demo.example.fr", "L'identifiant doit être une adresse email valide"),  # joiner
    (_wide("GARANTIE.VO") + "@axilog-demo.example.fr", "Un utilisateur existe déjà avec cet identifiant"),
])
def test_icare_refuses_a_user_that_looks_like_another(stack, email, message):
    browser = _icare_admin(stack)
    try:
        page = browser.get("/gestion-des-comptes/nouveau")
        code_t = re.search(r'name="code_t" value="(T\d+)"', page.text).group(1)
        created = browser.post("/gestion-des-comptes/nouveau", data={
            "csrf_token": CSRF_RE.search(page.text).group(1), "code_t": code_t, "email": email,
            "last_name": "Sosie", "first_name": "Sam", "rights": ["recherche"]})
        assert created.status_code == 422
        assert message in html.unescape(created.text)
        assert "Sosie" in html.unescape(created.text)  # what was typed is kept
        assert "SOSIE" not in browser.get("/gestion-des-comptes").text
    finally:
        browser.close()
    mails = httpx.get(stack.url("icare") + "/outbox/mails.json", params={"to": email}, timeout=20).json()["mails"]
    assert mails == []
