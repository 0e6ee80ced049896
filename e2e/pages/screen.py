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

    def opened_by(self, control: Locator) -> Page:
        """Click ``control``; the window it opens (``target=_blank``, ``window.open``), returned."""
        with self.page.expect_popup() as popup:
            control.click()
        return popup.value

    def goto(self, path: str, **query) -> None:
        """Go to ``path`` (relative to ``base_url``) with ``query`` as its query string."""
        self.page.goto(self.base_url + path + (f"?{urlencode(query)}" if query else ""))

    def open(self):
        """Open the screen at its own ``path``."""
        self.goto(self.path)
        return self


class LoginScreen(Screen):
    """A login form at ``/connexion``: Email, Mot de passe, Se connecter (centralisateur, Icare)."""

    path = "/connexion"

    def __init__(self, page: Page, base_url: str = ""):
        super().__init__(page, base_url)
        self.email = page.get_by_label("Email")
        self.password = page.get_by_label("Mot de passe", exact=True)
        self.submit = page.get_by_role("button", name="Se connecter")

    def login(self, email: str, password: str) -> None:
        self.email.fill(email)
        self.password.fill(password)
        self.submit.click()


class DeclarationState:
    """What a DMS screen shows of a sale's Déclaration SPOTICAR (by test id): the numéro de bon de
    commande, the status, the contract number (and, where shown, the garantisseur)."""

    def __init__(self, page: Page):
        self.bdc_number = page.get_by_test_id("bdc-number")
        self.status = page.get_by_test_id("declaration-status")
        self.contract_number = page.get_by_test_id("contract-number")
        self.garantisseur = page.get_by_test_id("garantisseur")
