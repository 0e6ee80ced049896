"""The one vocabulary of the page objects: every screen of every app is a ``Screen``."""
from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Locator, Page


class Screen:
    """What every screen has: opened at ``path`` relative to ``base_url``, its error block (``errors``,
    role ``alert``) and its status messages (``messages``, role ``status``). Page objects act and never
    assert: the tests do, with ``expect``. Screens reached by navigation need no ``base_url``."""

    path = "/"

    def __init__(self, page: Page, base_url: str = ""):
        self.page, self.base_url = page, base_url.rstrip("/")
        self.errors = page.get_by_role("alert")
        self.messages = page.get_by_role("status")

    def data_rows(self, within: Locator | None = None) -> Locator:
        """The rows holding data cells (header rows left out) of the page's tables, or of ``within``."""
        scope = within or self.page
        return scope.get_by_role("row").filter(has=self.page.get_by_role("cell"))

    def goto(self, path: str, **query) -> None:
        """Go to ``path`` (relative to ``base_url``) with ``query`` as its query string."""
        self.page.goto(self.base_url + path + (f"?{urlencode(query)}" if query else ""))

    def open(self):
        """Open the screen at its own ``path``."""
        self.goto(self.path)
        return self
