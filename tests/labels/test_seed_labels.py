"""Label coverage: every app is crawled over HTTP (the session's real servers), logged in where its
screens need it, and each screen must show the seed labels listed for it, word for word
(``fixtures/data/seed_labels.json``)."""
from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest

from fixtures import reference
from tests.centralisateur.support import login
from tests.dms_helpers import CHROME_UA, csrf_token
from tests.labels.coverage import apps, coverage, screens
from spoticar_handoff.tls import tls_context

ICARE_ADMIN = ("garantie.vo@axilog-demo.example.fr", reference.load("icare_billing")["demo_password"])


def _browser(stack, app: str, **headers) -> httpx.Client:
    return httpx.Client(verify=tls_context(), base_url=stack.url(app), timeout=30, follow_redirects=True, headers=headers)


def _icare(stack) -> Callable[[str], str]:
    public, logged = _browser(stack, "icare"), _browser(stack, "icare")
    page = logged.get("/connexion").text
    email, password = ICARE_ADMIN
    logged.post("/connexion", data={"csrf_token": csrf_token(page), "email": email, "password": password})
    needs_login = {s["path"] for s in screens("icare") if s.get("login", True)}
    return lambda path: (logged if path in needs_login else public).get(path).text


def _centralisateur(stack, factory) -> Callable[[str], str]:
    browser = login(stack, "953617Z")
    with httpx.Client(verify=tls_context(), base_url=stack.url("centralisateur"), timeout=30,
                      headers={"Authorization": "Bearer demo-tec3h"}) as api:
        receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
    choose = browser.get(receipt["declaration_url"])
    form = browser.post(str(choose.url), data={"csrf_token": csrf_token(choose.text), "programme": "SPOTICAR",
                                               "garantisseur": "stellantis"})
    places = {"{declaration}": str(choose.url), "{formulaire}": str(form.url)}
    return lambda path: browser.get(places.get(path, path)).text


def _plain(stack, app: str, **headers) -> Callable[[str], str]:
    browser = _browser(stack, app, **headers)
    return lambda path: browser.get(path).text


@pytest.mark.parametrize("app", apps())
def test_each_screen_shows_its_seed_labels_word_for_word(stack, factory, app):
    if app not in stack.apps and app not in stack.external_urls:
        pytest.skip(f"{app} is not part of this stack")
    get = {"icare": lambda: _icare(stack), "centralisateur": lambda: _centralisateur(stack, factory),
           "neovo": lambda: _plain(stack, "neovo", **{"User-Agent": CHROME_UA})}.get(
        app, lambda: _plain(stack, app))()
    found, total, missing = coverage(app, get)
    assert total > 0
    assert missing == {}, f"{app}: {found}/{total} seed labels shown; missing by screen: {missing}"


def test_coverage_reports_what_a_screen_lacks():
    from tests.labels.coverage import missing_labels
    page = '<h1>Livraisons</h1><input placeholder="N°offre, N°BDC, Client, Immat"><p>BDC &eacute;dit&eacute; le</p>'
    assert missing_labels(["Livraisons", "N°offre, N°BDC, Client, Immat", "BDC édité le", "Clôturer"], page) \
        == ["Clôturer"]
    assert re.search("Clôturer", page) is None
