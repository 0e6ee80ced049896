"""Multi-screen steps several suites share. Like page objects they act and never assert."""
from __future__ import annotations

from playwright.sync_api import Page

from e2e.pages.icare import ForgotPasswordPage, IcareLoginPage, NewPasswordPage, PortalPage
from e2e.pages.outbox import OutboxPage
from fixtures import reference


def strong_password(factory) -> str:
    """A Services.Spoticar password meeting every rule, different on each call."""
    return f"Spoticar-{factory.rng.randint(10**6, 10**7 - 1)}-Ok!"


def become_portal_admin(page: Page, base: str, email: str, password: str) -> None:
    """« Mot de passe oublié ? » → mail in the outbox → new password → logged in."""
    IcareLoginPage(page, base).open().forgot_password()
    ForgotPasswordPage(page).request_reset(email)
    OutboxPage(page, base).open(email).follow_link("Réinitialisation de votre mot de passe")
    NewPasswordPage(page).choose_password(email, password)
    IcareLoginPage(page, base).login(email, password)


def search_portal_as_dealer(page: Page, stack, rrdi: str, factory, query: str) -> PortalPage:
    """Log into Services.Spoticar as the dealer's administrator (its convention email) and search."""
    email = reference.demo_dealer(rrdi)["convention_email"]
    become_portal_admin(page, stack.url("icare"), email, strong_password(factory))
    portal = PortalPage(page)
    portal.search(query)
    return portal
