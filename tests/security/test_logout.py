"""Logging out, on every app with a login, over HTTP: a copy of the cookie taken before no longer
opens anything, and a form token taken before is refused afterwards (French 400, nothing done)."""
from __future__ import annotations

import html

import httpx
import pytest

from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE
from tests.security.test_csrf_and_fixation import CSRF_MESSAGE, LOGINS, _password

pytestmark = pytest.mark.centralisateur


@pytest.mark.parametrize("app", list(LOGINS))
def test_logout_revokes_the_cookie_and_the_form_token(stack, app):
    fields, private = LOGINS[app]
    base = stack.url(app)
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20) as browser:
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        signed_in = browser.post("/connexion", data={"csrf_token": token, **fields,
                                                     "password": _password(stack, app)})
        assert signed_in.status_code in (302, 303)
        page = browser.get(private)
        assert page.status_code == 200
        copied, old_token = dict(browser.cookies), CSRF_RE.search(page.text).group(1)
        assert browser.post("/deconnexion", data={"csrf_token": old_token}).status_code in (302, 303)
        assert browser.get(private).status_code in (302, 303, 401)
        # the token of the closed session, on the login form: refused, nobody signed in
        again = browser.post("/connexion", data={"csrf_token": old_token, **fields,
                                                 "password": _password(stack, app)})
        assert again.status_code == 400 and CSRF_MESSAGE in html.unescape(again.text)
        assert browser.get(private).status_code in (302, 303, 401)
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20, cookies=copied) as replay:
        assert replay.get(private).status_code in (302, 303, 401)  # the copy opens nothing
