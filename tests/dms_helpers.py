"""Helpers for the DMS simulator test-client tests: CSRF token from a page, a signed callback."""
from __future__ import annotations

import contextlib
import html
import json
import os
import re
import time
import uuid
from html.parser import HTMLParser

from common.journal import journal_of
from harness.template_cache import template_cache
from spoticar_handoff import CALLBACK_PATH, SIGNATURE_HEADER, sign_callback
from tests.seeded import seeded_app as _seeded

CHROME_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/131.0.0.0 Safari/537.36")


def csrf_token(html: str) -> str:
    """The first CSRF token of a rendered page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def text(response) -> str:
    """The page's text with blanks folded, for 'what the user sees' checks (Flask or httpx response)."""
    page = response.get_data(as_text=True) if hasattr(response, "get_data") else response.text
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def signed_callback(client, state: dict, key: str, path: str = CALLBACK_PATH, signature=None, *,
                    delivery: str | None = None, timestamp: int | None = None):
    """POST ``state`` to the callback route the way the centralisateur does, signed with ``key`` (or
    carrying ``signature``), as delivery ``delivery`` (a new one by default) sent at ``timestamp``."""
    body = json.dumps(state).encode()
    headers = sign_callback(body, key, delivery or uuid.uuid4().hex, timestamp=timestamp)
    if signature:
        headers[SIGNATURE_HEADER] = signature
    return client.post(path, data=body, content_type="application/json", headers=headers)


@contextlib.contextmanager
def seeded_app(module, tmp_path, transport, public_url: str):
    """A DMS simulator app (``module``) seeded with seed 0, its hand-offs going to ``transport``.
    With DATABASE_URL set it runs on that server database and leaves it empty afterwards."""
    app = _seeded(module, {"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "PUBLIC_URL": public_url,
                           "URLS": {"centralisateur": "http://cds.test"}, "HANDOFF_TRANSPORT": transport,
                           "DATABASE_URL": os.environ.get("DATABASE_URL")})
    # templates compiled once and kept, as up's apps do: an app per test compiled each page again
    app.jinja_env.bytecode_cache = template_cache(app.jinja_env)
    try:
        yield app
    finally:
        journal = journal_of(app)
        if journal is not None:  # the journal's writer drained first: it must not race drop_all
            journal.flush()
        if os.environ.get("DATABASE_URL"):
            app.extensions["db"].drop_all()
        app.extensions["harness_stop"]()


def dms_fixtures(module, public_url: str, user_agent: str | None = None):
    """The ``cds`` (a fake centralisateur), ``app`` (seeded ``module`` sending to it) and ``client``
    (presenting ``user_agent``) fixtures of a DMS's test-client tests: ``cds, app, client = …``."""
    import pytest

    from tests.fake_centralisateur import FakeCentralisateur

    @pytest.fixture
    def cds() -> FakeCentralisateur:
        return FakeCentralisateur()

    @pytest.fixture
    def app(tmp_path, cds):
        with seeded_app(module, tmp_path, cds.transport, public_url) as app:
            yield app

    @pytest.fixture
    def client(app):
        client = app.test_client()
        if user_agent:
            client.environ_base["HTTP_USER_AGENT"] = user_agent
        return client

    return cds, app, client


def assert_refused_callbacks(client, state: dict, key: str) -> None:
    """A DMS callback endpoint refuses, with a French message: a bad signature and a stale timestamp
    (401), and a delivery it already took (409); ``state`` is taken once, as delivery "first"."""
    wrong = signed_callback(client, state, key, signature="sha256=" + "0" * 64)
    stale = signed_callback(client, state, key, timestamp=int(time.time()) - 3600)
    assert (wrong.status_code, stale.status_code) == (401, 401)
    assert "signature" in wrong.get_json()["errors"][0]["message"]
    assert "périmé" in stale.get_json()["errors"][0]["message"]
    assert signed_callback(client, state, key, delivery="first").status_code == 200
    replay = signed_callback(client, state, key, delivery="first")
    assert replay.status_code == 409 and "Rappel déjà reçu" in replay.get_json()["errors"][0]["message"]


class _FormReader(HTMLParser):
    """What a browser would submit for a page's forms: named inputs, checked boxes, chosen options."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.invalid: set[str] = set()
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if name and a.get("aria-invalid") == "true":
            self.invalid.add(name)
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.values[name] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def read_form(page: str) -> tuple[dict[str, str], set[str]]:
    """(the values a browser would submit, the names of the fields marked ``aria-invalid``)."""
    reader = _FormReader()
    reader.feed(page)
    return reader.values, reader.invalid
