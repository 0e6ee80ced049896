"""Multi-screen steps several suites share. Like page objects they act and never assert."""
from __future__ import annotations

from playwright.sync_api import Page

from e2e.pages.icare import IcareLoginPage, PortalPage
from harness.testing import create


def strong_password(factory) -> str:
    """A Services.Spoticar password meeting every rule, different on each call."""
    return f"Spoticar-{factory.rng.randint(10**6, 10**7 - 1)}-Ok!"


def portal_admin(stack, factory, rrdi: str) -> tuple[str, str]:
    """A Services.Spoticar account of the test's own, administrator of the dealer ``rrdi`` (Icare's
    test routes): (email, password). The « Mot de passe oublié ? » mails are a few an hour per address:
    only the tests of that path use them, so runs played again on one stack never run out."""
    email = f"admin.{rrdi.lower()}.{factory.rng.randint(10**8, 10**9 - 1)}@garage-test.example.fr"
    password = strong_password(factory)
    create(stack, "icare", "/portal-users", {"email": email, "password": password, "rrdi": rrdi})
    return email, password


def search_portal_as_dealer(page: Page, stack, rrdi: str, factory, query: str) -> PortalPage:
    """Log into Services.Spoticar as an administrator of the dealer (``portal_admin``) and search."""
    base = stack.url("icare")
    IcareLoginPage(page, base).open().login(*portal_admin(stack, factory, rrdi))
    portal = PortalPage(page)
    portal.search(query)
    return portal
