"""A new password never reaches an app's journal: the forms that set one (Icare's reset link, the Portail
B2B's « mot de passe perdu » link) have it typed twice, « password » and « confirmation », and the
journal kept the confirmation — the new password in clear, at /__admin/journal."""
from __future__ import annotations

import re
from urllib.parse import quote_plus, urlsplit

import httpx
import pytest

from harness.testing import create
from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE
from tests.journal.support import journal
from tests.security.test_login_names import _b2b_user

pytestmark = pytest.mark.centralisateur


def _reset_link(base: str, to: str) -> str:
    mails = httpx.get(base + "/outbox/mails.json", params={"to": to}, timeout=20).json()["mails"]
    return urlsplit(mails[-1]["links"][0]).path


def _set_password(browser: httpx.Client, link: str, fields: dict) -> None:
    token = CSRF_RE.search(browser.get(link).text).group(1)
    done = browser.post(link, data={"csrf_token": token, **fields})
    assert done.status_code in (200, 302, 303), done.text[:500]


def test_icare_reset_keeps_no_new_password_in_the_journal(stack, factory):
    base, email = stack.url("icare"), f"journal.{factory.fake.unique.user_name()}@cdds-demo.example.fr"
    create(stack, "icare", "/portal-users", {"email": email, "password": "Ancien-Passe-2026!", "rrdi": "FR10350"})
    new = f"Nouveau-{factory.fake.unique.user_name()}-2026!"
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20) as browser:
        token = CSRF_RE.search(browser.get("/mot-de-passe-oublie").text).group(1)
        browser.post("/mot-de-passe-oublie", data={"csrf_token": token, "email": email})
        _set_password(browser, _reset_link(base, email),
                      {"email": email, "password": new, "confirmation": new})
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        signed_in = browser.post("/connexion", data={"csrf_token": token, "email": email, "password": new})
        assert signed_in.status_code in (302, 303)  # the new password is the one set
    kept = str(journal(stack, "icare", limit="5000"))
    assert new not in kept and quote_plus(new) not in kept  # as typed, and as the form's body sent it


def test_portail_b2b_reset_keeps_no_new_password_in_the_journal(stack, factory):
    base = stack.url("portail_b2b")
    _cofor, user = _b2b_user(stack, factory)
    new = f"Nouveau-{factory.fake.unique.user_name()}-2026"
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20) as browser:
        token = CSRF_RE.search(browser.get("/mot-de-passe-perdu").text).group(1)
        browser.post("/mot-de-passe-perdu", data={"csrf_token": token, "identifiant": user["identifiant"],
                                                  "email": user["email"]})
        _set_password(browser, _reset_link(base, user["email"]), {"password": new, "confirmation": new})
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        signed_in = browser.post("/connexion", data={"csrf_token": token, "identifiant": user["identifiant"],
                                                     "password": new})
        assert signed_in.status_code in (302, 303)
    kept = str(journal(stack, "portail_b2b", limit="5000"))
    assert new not in kept and quote_plus(new) not in kept


def test_a_certification_session_key_shown_once_stays_out_of_the_journal(stack):
    """The key opens the session and declares as its DMS: the page shows it once, the API answers it
    once — neither copy is kept by the centralisateur's journal, open to anyone in demo mode."""
    base = stack.url("centralisateur")
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20, follow_redirects=True) as browser:
        token = CSRF_RE.search(browser.get("/certification").text).group(1)
        page = browser.post("/certification", data={"csrf_token": token, "dms": "pvo2"})
        shown = re.search(r'data-testid="session-key">([^<]+)<', page.text).group(1)
    answered = httpx.post(base + "/certification/sessions", json={"dms": "tec3h"}, timeout=20).json()["key"]
    kept = str(journal(stack, "centralisateur", limit="5000"))
    assert shown not in kept and answered not in kept
    assert 'data-testid="session-key">[REDACTED]<' in kept  # the page was kept, the key left out
