"""Session cookies on every app: out of scripts' reach (HttpOnly), not sent by other sites' forms
(SameSite=Lax), and Secure when the app is served to its users over TLS (an https public URL)."""
from __future__ import annotations

import httpx
import pytest

from harness.apps import available_apps
from harness.runner import Stack
from harness.testing import SUITE_CONFIG
from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE
from tests.security.test_csrf_and_fixation import LOGINS, _password

pytestmark = pytest.mark.centralisateur

# a page of each app that opens a session (its CSRF token)
FORM_PAGES = {"centralisateur": "/connexion", "icare": "/connexion", "portail_b2b": "/connexion",
              "tec3h": "/clients/nouveau", "pvo2": "/offres/nouvelle", "bee2link": "/vo/ventes/nouvelle",
              "neovo": "/dossiers/nouveau"}


def _session_cookies(response: httpx.Response) -> list[tuple[str, dict]]:
    """(name, {lower-cased attribute: its text}) of each session cookie the answer sets."""
    found = []
    for header in response.headers.get_list("set-cookie"):
        name, *attributes = [part.strip() for part in header.split(";")]
        if name.split("=", 1)[0].endswith("_session"):
            found.append((name.split("=", 1)[0], {a.split("=")[0].lower(): a.lower() for a in attributes}))
    return found


def _flags_ok(attributes: dict, secure: bool) -> bool:
    return ("httponly" in attributes and attributes.get("samesite") == "samesite=lax"
            and ("secure" in attributes) == secure)


@pytest.mark.parametrize("app", [spec.name for spec in available_apps()])
def test_session_cookies_are_httponly_and_samesite_on_every_app(stack, app):
    with httpx.Client(verify=tls_context(), base_url=stack.url(app), timeout=20) as browser:
        page = browser.get(FORM_PAGES[app])
        cookies = _session_cookies(page)
        assert cookies, f"{app}: no session cookie set by {FORM_PAGES[app]}"
        if app in LOGINS:  # the fresh session of a login too
            fields, _private = LOGINS[app]
            signed_in = browser.post("/connexion", data={"csrf_token": CSRF_RE.search(page.text).group(1),
                                                         **fields, "password": _password(stack, app)})
            assert signed_in.status_code in (302, 303)
            cookies += _session_cookies(signed_in)
    for name, attributes in cookies:
        assert _flags_ok(attributes, secure=False), (app, name, attributes)


def test_session_cookie_is_secure_when_served_over_tls(tmp_path):
    # behind a TLS proxy: the public URL says https, the app itself listens on plain HTTP
    config = {**SUITE_CONFIG["portail_b2b"], "PUBLIC_URL": "https://portail-b2b.example.fr"}
    running = Stack(tmp_path, names=["portail_b2b"], extra_config={"portail_b2b": config})
    running.start()
    try:
        running.wait_ready()
        page = httpx.get(running.url("portail_b2b") + "/connexion", timeout=20)
    finally:
        running.stop()
    cookies = _session_cookies(page)
    assert cookies and all(_flags_ok(attributes, secure=True) for _name, attributes in cookies), cookies
