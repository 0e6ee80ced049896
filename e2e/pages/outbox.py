"""The simulated mailbox every app that sends mail has (``common.outbox``, demo/test mode only)."""
from __future__ import annotations

import re

from playwright.sync_api import Locator

from e2e.pages.screen import Screen, by_role


class OutboxPage(Screen):
    """Boîte d'envoi: the mails an app sent, newest first, with their links and attachments."""

    path = "/outbox"
    main = by_role("main")
    mails = by_role("article", within="main")

    def open(self, to: str | None = None) -> OutboxPage:
        """The outbox, only the mails sent to ``to`` when given."""
        self.goto(self.path, **({"to": to} if to else {}))
        return self

    def mail(self, subject: str) -> Locator:
        """The newest mail whose subject contains ``subject``."""
        return self.mails.filter(has=self.page.get_by_role("heading", name=re.compile(re.escape(subject)))).first

    def follow_link(self, subject: str) -> None:
        """Click the link of the newest mail whose subject contains ``subject`` (activation, reset…)."""
        self.mail(subject).get_by_role("link").first.click()

    def attachment(self, mail: Locator, filename: str) -> Locator:
        return mail.get_by_role("link", name=filename)
