"""Helpers for the DMS simulator test-client tests: CSRF token from a page, a signed callback."""
from __future__ import annotations

import contextlib
import html
import json
import os
import re
import time
import uuid

from spoticar_handoff import CALLBACK_PATH, SIGNATURE_HEADER, sign_callback

CHROME_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/131.0.0.0 Safari/537.36")


def csrf_token(html: str) -> str:
    """The first CSRF token of a rendered page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def text(response) -> str:
    """The page's text with blanks folded, for 'what the user sees' checks."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


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
    app = module.create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "PUBLIC_URL": public_url,
                             "URLS": {"centralisateur": "http://cds.test"}, "HANDOFF_TRANSPORT": transport,
                             "DATABASE_URL": os.environ.get("DATABASE_URL")})
    module.seed_demo(app, 0)
    try:
        yield app
    finally:
        if os.environ.get("DATABASE_URL"):
            app.extensions["db"].drop_all()
        app.extensions["harness_stop"]()


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
