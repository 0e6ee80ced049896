"""Support for the DMS browser suites: a DMS simulator whose centralisateur is down, the two
confirmations of 3/3, store look-ups, Icare contract look-ups (API and Services.Spoticar portal)."""
from __future__ import annotations

import contextlib
import re
import socket
from collections.abc import Iterator

import httpx
from playwright.sync_api import Page, expect

from common.serve import AppServer

FIREFOX_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_UA = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Version/17.1 Safari/605.1.15")
EDGE_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.51")


def _closed_port() -> int:
    """A local port nobody listens on (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served_without_centralisateur(module, data_dir) -> Iterator[tuple[str, object]]:
    """A fresh, seeded DMS simulator (``module``) whose centralisateur URL answers nothing."""
    server = AppServer.bind("127.0.0.1", 0)
    app = module.create_app({"DATA_DIR": str(data_dir), "DEMO_MODE": True, "PUBLIC_URL": server.url,
                             "URLS": {"centralisateur": f"http://127.0.0.1:{_closed_port()}"},
                             "HANDOFF_TIMEOUT": 2.0})
    module.seed_demo(app, 0)
    with server.mount(app):
        yield server.url, app
    app.extensions["harness_stop"]()


def expect_both_confirmations(page: Page, rrdi: str) -> str:
    """Check the 3/3 page shows both confirmation messages of seed 000; the contract number shown."""
    from e2e.pages.centralisateur import ConfirmationPage
    confirmation = ConfirmationPage(page)
    expect(confirmation.success).to_contain_text("Votre demande a été effectuée avec succès (numéro de bon de "
                                                 f"commande : N° SP{rrdi}")
    expect(confirmation.contract).to_contain_text(re.compile(
        r"\[Garantie SPOTICAR Stellantis\] La création a bien été effectuée \(numéro de contrat : \d{11}\)"))
    return re.search(r"\d{11}", confirmation.contract.inner_text()).group(0)


def deliver_due_callbacks(stack) -> bool:
    """Deliver now the callbacks the centralisateur's background worker has due (no waiting).
    False when the centralisateur is an external one (``--centralisateur-url``): nothing to drive."""
    if "centralisateur" not in stack.apps:
        return False
    from centralisateur.declaring import process_due
    process_due(stack.app("centralisateur"))
    return True


def portal_search(page: Page, stack, rrdi: str, password: str, query: str):
    """Become the dealer's Services.Spoticar user (« Mot de passe oublié ? » with its convention email,
    the mailed link, a new ``password``), then search ``query``; the portal page, for assertions."""
    from e2e.pages.icare import (ForgotPasswordPage, IcareLoginPage, NewPasswordPage, OutboxPage,
                                 PortalPage)
    from fixtures import reference
    base, email = stack.url("icare"), reference.demo_dealer(rrdi)["convention_email"]
    IcareLoginPage(page, base).open().forgot_password()
    ForgotPasswordPage(page).request_reset(email)
    OutboxPage(page, base).open(email).follow_latest("Réinitialiser mon mot de passe")
    NewPasswordPage(page).choose_password(email, password)
    IcareLoginPage(page, base).login(email, password)
    portal = PortalPage(page)
    portal.search(query)
    return portal


def strong_password(factory) -> str:
    """A password the portal accepts: 15+ characters, upper, lower, digit, special (no €)."""
    return factory.fake.password(length=18, special_chars=True, digits=True, upper_case=True,
                                 lower_case=True)


def icare_contract(stack, number: str) -> dict | None:
    """The contract as Icare holds it (service API), or None."""
    response = httpx.get(f"{stack.url('icare')}/api/v1/contracts/{number}", timeout=20,
                         headers={"Authorization": "Bearer demo-icare-service"})
    return response.json() if response.status_code == 200 else None


def in_store(app, query):
    """Run a SQLAlchemy ``select`` against a simulator's own store (what was stored)."""
    with app.extensions["db"].transaction() as session:
        return session.scalars(query).all()
