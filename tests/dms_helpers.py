"""Helpers for the DMS simulator test-client tests: CSRF token from a page, a signed callback."""
from __future__ import annotations

import html
import json
import re

from common.auth import sign

CHROME_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/131.0.0.0 Safari/537.36")


def csrf_token(html: str) -> str:
    """The first CSRF token of a rendered page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def text(response) -> str:
    """The page's text with blanks folded, for 'what the user sees' checks."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def signed_callback(client, state: dict, key: str, path: str = "/api/spoticar/callback", signature=None):
    """POST ``state`` to the callback route, signed with ``key`` (or with ``signature``)."""
    body = json.dumps(state).encode()
    return client.post(path, data=body, content_type="application/json",
                       headers={"X-Spoticar-Signature": signature or sign(body, key)})
