"""Login names under Unicode: an email that names an account is one account whatever its width
(NFKC: « ｖｏ@… » is « vo@… »), and no account can be made to look like another (a Cyrillic « о »
for an « o », an invisible joiner) — on the centralisateur's and Icare's logins and Icare's users."""
from __future__ import annotations

import html
import re

import httpx
import pytest

from fixtures import reference
from spoticar_handoff.tls import tls_context
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


def _b2b_user(stack, factory, state: str = "with_users") -> tuple[str, dict]:
    base = stack.url("portail_b2b")
    supplier = httpx.post(base + "/__test__/suppliers", json={"seed": factory.seed, "state": state}, timeout=20)
    assert supplier.status_code == 201, supplier.text
    cofor = supplier.json()["cofor"]
    user = httpx.post(base + "/__test__/users", timeout=20,
                      json={"seed": factory.seed, "cofor": cofor, "password": "Portail-Sosie-2026"})
    assert user.status_code == 201, user.text
    return cofor, user.json()


def test_portail_b2b_reads_a_full_width_identifiant_and_email_as_the_account(stack, factory):
    _cofor, user = _b2b_user(stack, factory)
    local, domain = user["email"].split("@")
    base = stack.url("portail_b2b")
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20) as browser:
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        signed_in = browser.post("/connexion", data={"csrf_token": token, "identifiant": _wide(user["identifiant"]),
                                                     "password": "Portail-Sosie-2026"})
        assert signed_in.status_code in (302, 303), html.unescape(signed_in.text)[:500]
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20) as browser:
        token = CSRF_RE.search(browser.get("/mot-de-passe-perdu").text).group(1)
        asked = browser.post("/mot-de-passe-perdu", data={"csrf_token": token, "identifiant": _wide(user["identifiant"]),
                                                          "email": f"{_wide(local)}@{domain}"})
        assert asked.status_code == 200, html.unescape(asked.text)[:500]
    mails = httpx.get(base + "/outbox/mails.json", params={"to": user["email"]}, timeout=20).json()["mails"]
    assert [m["subject"] for m in mails] == ["Portail B2B STELLANTIS : réinitialisation de votre mot de passe"]


@pytest.mark.parametrize("email", ["claire.mart\u0456n@equipements-demo.example.fr",  # Cyrillic і
                                   "claire.martin\u200b@equipements-demo.example.fr"])  # zero-width space
def test_portail_b2b_refuses_an_access_request_for_a_look_alike_address(stack, factory, email):
    base = stack.url("portail_b2b")
    cofor = httpx.post(base + "/__test__/suppliers", json={"seed": factory.seed, "state": "presented"},
                       timeout=20).json()["cofor"]
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20) as browser:
        token = CSRF_RE.search(browser.get("/acces", params={"cofor": cofor}).text).group(1)
        refused = browser.post("/acces/demande", data={
            "csrf_token": token, "cofor": cofor, "code_site": "01", "last_name": "Sosie", "first_name": "Claire",
            "email": email, "phone": "0141793151", "function": "Achats", "terms": "oui"})
        page = html.unescape(refused.text)
        assert refused.status_code == 422
        assert "Le champ « Adresse mail » doit être une adresse mail valide" in page
        assert 'value="Sosie"' in page  # what was typed is kept
        assert "en cours de traitement" not in html.unescape(browser.get("/acces", params={"cofor": cofor}).text)
    assert httpx.get(base + "/outbox/mails.json", params={"to": email}, timeout=20).json()["mails"] == []


def test_dealers_add_stores_the_login_as_the_login_form_reads_it(tmp_path, monkeypatch, capsys):
    from common.onboarding import load
    from harness.cli import main
    monkeypatch.setenv("CDS_TEST_PASSWORD", "Un-mot-de-passe-long-1")
    config = tmp_path / "spoticar.toml"

    def add(rrdi: str, login: str, email: str = "convention@garage.example.fr") -> int:
        return main(["dealers", "add", "--config", str(config), "--rrdi", rrdi, "--name", "GARAGE DU PORT",
                     "--dms", "tec3h", "--code-t", f"T{rrdi[:5]}", "--login", login, "--email", email,
                     "--password-env", "CDS_TEST_PASSWORD"])
    assert add("4321000", _wide("VO.PORT") + "@garage.example.fr", _wide("Convention") + "@garage.example.fr") == 0
    assert load(config).dealers[0].login == "vo.port@garage.example.fr"
    assert load(config).dealers[0].email == "convention@garage.example.fr"  # Icare's convention login
    assert "connexion vo.port@garage.example.fr" in capsys.readouterr().out
    before = config.read_text()
    assert add("4321001", "v\u043e.port@garage.example.fr") == 2  # Cyrillic о: refused, file unchanged
    assert "ne peut contenir que des lettres latines" in capsys.readouterr().err
    assert add("4321002", "vo.port") == 2
    assert "L'adresse email n'est pas valide." in capsys.readouterr().err
    assert add("4321003", "vo.quai@garage.example.fr", "convention.\u0440ort@garage.example.fr") == 2  # Cyrillic р
    assert "ne peut contenir que des lettres latines" in capsys.readouterr().err
    assert config.read_text() == before
