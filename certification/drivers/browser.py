"""What the certification drivers use to work a DMS's screens as a browser does: read a page's forms
(their action, and the values the browser would submit — hidden CSRF token included), change the
fields a user changes, submit. Standard library HTML parser, so a vendor can copy it."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx
from spoticar_handoff.tls import tls_context


@dataclass
class Form:
    """One ``<form>`` of a page: where it posts and what it would send as it stands."""
    action: str
    method: str
    values: dict[str, str | list[str]] = field(default_factory=dict)
    selects: dict[str, list[str]] = field(default_factory=dict)  # select name → its option values
    buttons: list[str] = field(default_factory=list)             # submit buttons' texts


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.option: str | None = None      # text of an option without a value attribute, while read
        self.option_selected = False
        self.textarea: str | None = None
        self.button: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.current = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self.current)
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"), multiple=kind == "checkbox")
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.current.values[name] = a.get("value", "")
        elif tag == "select" and name:
            self.select = name
            self.current.selects[name] = []
            self.current.values.setdefault(name, "")
        elif tag == "option" and self.select:
            if "value" in a:
                self._option(a["value"], "selected" in a)
            else:  # no value attribute: the option's text is its value (read up to </option>)
                self.option, self.option_selected = "", "selected" in a
        elif tag == "textarea" and name:
            self.textarea = name
            self.current.values[name] = ""
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.button = []

    def _option(self, value: str, selected: bool) -> None:
        self.current.selects[self.select].append(value)
        if selected or len(self.current.selects[self.select]) == 1:
            self.current.values[self.select] = value

    def handle_data(self, data):
        if self.option is not None:
            self.option += data
        if self.textarea and self.current:
            self.current.values[self.textarea] += data
        if self.button is not None:
            self.button.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "option" and self.option is not None:
            if self.select and self.current:
                self._option(" ".join(self.option.split()), self.option_selected)
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "button" and self.button is not None:
            if self.current:
                self.current.buttons.append(" ".join("".join(self.button).split()))
            self.button = None

    def _add(self, name, value, multiple):
        if multiple:
            existing = self.current.values.setdefault(name, [])
            if isinstance(existing, list):
                existing.append(value)
        else:
            self.current.values[name] = value


def forms(page: str) -> list[Form]:
    """Every form of ``page`` (HTML text)."""
    parser = _Forms()
    parser.feed(page)
    return parser.forms


class Browser:
    """A dealer's browser on one DMS: its cookies, the pages it opened, the forms it submits."""

    def __init__(self, base_url: str, **client):
        self.base_url = base_url.rstrip("/")
        self.http = httpx.Client(base_url=self.base_url, timeout=30, **client, verify=tls_context())

    def get(self, path: str) -> httpx.Response:
        answer = self.http.get(path, follow_redirects=True)
        answer.raise_for_status()
        return answer

    def form(self, page: httpx.Response | str, *, action: str = "", button: str = "") -> tuple[Form, str]:
        """The POST form of ``page`` whose action contains ``action`` (and with a ``button`` text), and
        the URL it posts to."""
        text = page if isinstance(page, str) else page.text
        base = self.base_url + "/" if isinstance(page, str) else str(page.url)
        for found in forms(text):
            if found.method == "post" and action in (found.action or "") and (not button or button in found.buttons):
                return found, urljoin(base, found.action or base)
        raise ValueError(f"formulaire introuvable sur la page (action « {action} », bouton « {button} »)")

    def submit(self, page: httpx.Response | str, changes: dict | None = None, *, action: str = "",
               button: str = "", drop: tuple[str, ...] = ()) -> httpx.Response:
        """Fill the form as a user does (``changes`` over what the page shows; a list ticks those
        checkboxes) and submit it; the answer, redirects not followed."""
        found, url = self.form(page, action=action, button=button)
        values = {k: v for k, v in {**found.values, **(changes or {})}.items() if k not in drop and v is not None}
        return self.http.post(url, data=values)

    def close(self) -> None:
        self.http.close()
