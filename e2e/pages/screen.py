"""The one vocabulary of the page objects: every screen of every app is a ``Screen``."""
from __future__ import annotations

from typing import ClassVar
from urllib.parse import urlencode

from playwright.sync_api import Download, Locator, Page


class Find:
    """A locator declared on a ``Screen`` class and found on the screen's page (or ``within`` another
    of its locators, by attribute name) when read: ``plate = by_label("Immatriculation *")`` reads as
    ``self.page.get_by_label("Immatriculation *")``. Playwright locators are lazy, so nothing is looked
    up before an action or an ``expect``; building them on each read costs nothing."""

    def __init__(self, method: str, *args, within: str | None = None, then: tuple = (), **options):
        self.method, self.args, self.within, self.options = method, args, within, options
        self.then = then  # narrowing applied to what is found: ("first",), ("filter", {...})

    def __get__(self, screen: Screen | None, owner: type | None = None) -> Locator:
        if screen is None:
            return self  # read on the class: the declaration itself
        scope = getattr(screen, self.within) if self.within else screen.page
        found = getattr(scope, self.method)(*self.args, **self.options)
        for step, *options in self.then:
            found = getattr(found, step) if not options else getattr(found, step)(**options[0])
        return found

    def _narrowed(self, *step) -> Find:
        return Find(self.method, *self.args, within=self.within, then=(*self.then, step), **self.options)

    @property
    def first(self) -> Find:
        return self._narrowed("first")

    @property
    def last(self) -> Find:
        return self._narrowed("last")

    def filter(self, **options) -> Find:
        """Only the matches ``Locator.filter(**options)`` keeps (``has_text=``…)."""
        return self._narrowed("filter", options)


class DataRows:
    """Declared as ``rows = DataRows("table")``: ``Screen.data_rows`` of that locator (or of the page)."""

    def __init__(self, within: str | None = None):
        self.within = within

    def __get__(self, screen: Screen | None, owner: type | None = None) -> Locator:
        if screen is None:
            return self
        return screen.data_rows(getattr(screen, self.within) if self.within else None)


def by_label(text: str, *, exact: bool = False, within: str | None = None) -> Find:
    """The form control labelled ``text`` (``get_by_label``)."""
    return Find("get_by_label", text, exact=exact, within=within)


def exactly(label: str) -> Find:
    """The form control whose label is ``label`` whole ("Nom", not "Prénom")."""
    return by_label(label, exact=True)


def by_role(role: str, name: str | None = None, *, within: str | None = None, **options) -> Find:
    """The element of ARIA ``role`` with accessible ``name`` (``get_by_role``; ``exact``, ``level``…)."""
    return Find("get_by_role", role, within=within, **({"name": name} if name is not None else {}), **options)


def by_test_id(test_id: str) -> Find:
    """Where no accessible name exists: the element marked ``data-testid``."""
    return Find("get_by_test_id", test_id)


def by_text(text: str, *, exact: bool = False) -> Find:
    """The element showing ``text`` (``get_by_text``)."""
    return Find("get_by_text", text, exact=exact)


def clicks(control: str):
    """A user action that is one click on the control declared as ``control``, as a method:
    ``reserve = clicks("reserve_button")``."""
    def action(screen: Screen) -> None:
        getattr(screen, control).click()
    action.__doc__ = f"Click ``{control}``."
    return action


def navigates(control: str):
    """A user action that is one click on ``control`` loading another page, as a method that waits for
    that page (``Screen.navigated_by``): a test going elsewhere right after (``page.goto``) does not
    race the click's own request — a « Se déconnecter » still under way when the next page loads."""
    def action(screen: Screen) -> None:
        screen.navigated_by(getattr(screen, control))
    action.__doc__ = f"Click ``{control}`` and wait for the page it loads."
    return action


class Screen:
    """What every screen has: opened at ``path`` relative to ``base_url``, its error block (``errors``,
    role ``alert``) and its status messages (``messages``, role ``status``). Page objects act and never
    assert: the tests do, with ``expect``. Screens reached by navigation need no ``base_url``. A
    screen declares its elements as class attributes (``by_label``, ``by_role``…), the way a user
    finds them."""

    path = "/"
    errors = by_role("alert")
    messages = by_role("status")
    # The screen's controls as a tester lists them, in tables: attribute name → what the user reads
    # (or a ``Find`` where that alone is not enough); ``fields`` by their label, ``buttons``, ``links``
    # and ``regions`` by their name. Each entry becomes an attribute of the class. ``exact_labels``:
    # labels match whole (an app whose labels contain one another: "Nom *", "Nom du contact *").
    fields: ClassVar[dict[str, str | Find]] = {}
    buttons: ClassVar[dict[str, str | Find]] = {}
    links: ClassVar[dict[str, str | Find]] = {}
    regions: ClassVar[dict[str, str | Find]] = {}
    exact_labels = False

    def __init_subclass__(cls, **options):
        super().__init_subclass__(**options)
        tables = {"fields": lambda text: by_label(text, exact=cls.exact_labels),
                  "buttons": lambda text: by_role("button", text),
                  "links": lambda text: by_role("link", text),
                  "regions": lambda text: by_role("region", text)}
        for table, find in tables.items():
            for name, text in cls.__dict__.get(table, {}).items():
                setattr(cls, name, text if isinstance(text, Find) else find(text))

    def __init__(self, page: Page, base_url: str = ""):
        self.page, self.base_url = page, base_url.rstrip("/")

    def fill_in(self, **values: str) -> None:
        """Type each value into the field declared under that name: ``fill_in(plate="AA-123-AA")``."""
        for name, value in values.items():
            getattr(self, name).fill(value)

    def field(self, label: str) -> Locator:
        """The form control whose label is exactly ``label`` (asterisk included: "Immatriculation*"),
        for screens whose fields are read from data (a form's table, the documents to tick)."""
        return self.page.get_by_label(label, exact=True)

    def fill_and_click(self, control: Locator, **values: str) -> None:
        """Fill the declared fields with ``values``, then click ``control`` (the form's button)."""
        self.fill_in(**values)
        control.click()

    def data_rows(self, within: Locator | None = None) -> Locator:
        """The rows holding data cells (header rows left out) of the page's tables, or of ``within``."""
        scope = within or self.page
        return scope.get_by_role("row").filter(has=self.page.get_by_role("cell"))

    def navigated_by(self, control: Locator) -> None:
        """Click ``control`` (a link, a button that loads another page) and wait for the page it
        loads: clicks no longer wait for the navigation they start, so a field filled right after
        would be typed into the page being left (even a reload of the same URL)."""
        with self.page.expect_navigation():
            control.click()

    def opened_by(self, control: Locator) -> Page:
        """Click ``control``; the window it opens (``target=_blank``, ``window.open``), once loaded."""
        with self.page.expect_popup() as popup:
            control.click()
        popup.value.wait_for_load_state()
        return popup.value

    def downloaded_by(self, control: Locator) -> Download:
        """Click ``control``; the file it downloads."""
        with self.page.expect_download() as info:
            control.click()
        return info.value

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
    email = by_label("Email")
    password = exactly("Mot de passe")
    submit = by_role("button", "Se connecter")

    def login(self, email: str, password: str) -> None:
        self.fill_and_click(self.submit, email=email, password=password)


class DeclarationState:
    """What a DMS screen shows of a sale's Déclaration SPOTICAR (by test id): the numéro de bon de
    commande, the status, the contract number (and, where shown, the garantisseur)."""

    bdc_number = by_test_id("bdc-number")
    status = by_test_id("declaration-status")
    contract_number = by_test_id("contract-number")
    garantisseur = by_test_id("garantisseur")
