"""The seed walk-through in Chromium: every seed screen of every app (``fixtures/data/seed_labels.json``)
opened as a user reaches it (logged in where needed, the declaration opened from a real hand-off), its
seed labels looked for in what is rendered — not in the HTML, so a label hidden or never displayed is
missing — and no seed label on a disabled button or link. Each app's figure is printed
(``-s``) and recorded in the JUnit report (``seed_labels_found`` / ``seed_labels_checked``)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from e2e.pages.centralisateur import ChooseGarantiePage, LoginPage
from e2e.pages.icare import IcareLoginPage
from e2e.pages.walkthrough import SeedScreen
from fixtures import reference
from tests.labels.coverage import apps, coverage, screens
from spoticar_handoff.tls import tls_context

ICARE_ADMIN = "garantie.vo@axilog-demo.example.fr"
SHOTS = os.environ.get("SPOTICAR_WALKTHROUGH_SHOTS")  # a folder: one full-page screenshot per seed screen


def _reader(page: Page, stack, factory, app: str):
    """(get, read) for ``coverage``: the HTML of a path (to find links) and the text shown there."""
    screen = SeedScreen(page, stack.url(app))
    places: dict[str, str] = {}
    needs_login = {s.get("path") or s.get("from") for s in screens(app) if s.get("login", True)}
    state = {"logged": False}

    def login() -> None:
        if app == "icare":
            IcareLoginPage(page, stack.url("icare")).open().login(
                ICARE_ADMIN, reference.load("icare_billing")["demo_password"])
            expect(page).not_to_have_url(f"{stack.url('icare')}/connexion")
        elif app == "centralisateur":
            dealer = reference.demo_dealer("953617Z")
            LoginPage(page, stack.url(app)).open().login(dealer["login"], stack.credentials.dealer_password("953617Z"))
            expect(page.get_by_text("Vos déclarations")).to_be_visible()
            with httpx.Client(verify=tls_context(), base_url=stack.url(app), timeout=30,
                              headers={"Authorization": f"Bearer {stack.credentials.dms_key('tec3h')}"}) as api:
                places["{declaration}"] = api.post("/api/v1/handoffs", json=factory.handoff()).json()["declaration_url"]
        state["logged"] = True

    def go(path: str) -> None:
        if app in ("icare", "centralisateur") and path in needs_login and not state["logged"]:
            login()
        if path == "{formulaire}":  # 2/3 is reached from 1/3 (opened just before) with Page Suivante
            ChooseGarantiePage(page).choose()
            expect(page.get_by_role("button", name="Déclarer et Garantir")).to_be_visible()
        else:
            screen.open_path(places.get(path, path))

    def get(path: str) -> str:
        go(path)
        return screen.html()

    def read(path: str) -> str:
        go(path)
        if SHOTS:  # for a person comparing the screens with the decks (opt-in: a shot costs CPU)
            state["shots"] = state.get("shots", 0) + 1
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "accueil"
            page.screenshot(path=Path(SHOTS) / app / f"{state['shots']:02d}-{name[:60]}.png", full_page=True)
        disabled = [name for name in screen.disabled_controls()
                    if any(" ".join(label.split()) == name for s in screens(app) for label in s["labels"])]
        if disabled:
            state.setdefault("disabled", {})[path] = disabled
        return screen.shown_text()

    return get, read, state


@pytest.mark.parametrize("app", apps())
def test_walkthrough_shows_every_seed_label_and_no_seed_button_is_disabled(page: Page, stack, factory,
                                                                          request, app):
    if app not in stack.apps and app not in stack.external_urls:
        pytest.skip(f"{app} is not part of this stack")
    get, read, state = _reader(page, stack, factory, app)
    found, total, missing = coverage(app, get, read)
    # on the test's report (``user_properties``: what ``record_property`` sets, without its warning that
    # JUnit's xunit2 family, which the suites write, has no place for them)
    request.node.user_properties += [("seed_labels_found", found), ("seed_labels_checked", total)]
    print(f"\nparcours des decks — {app} : {found}/{total} libellés vus ({100 * found / total:.1f} %)")
    assert missing == {}, f"{app}: {found}/{total} seed labels shown; missing by screen: {missing}"
    assert state.get("disabled", {}) == {}, f"{app}: seed buttons disabled: {state['disabled']}"
