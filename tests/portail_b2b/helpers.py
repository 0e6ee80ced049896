"""Small helpers for the Portail B2B test-client tests."""
from __future__ import annotations

import html


def text(response) -> str:
    """The page as a user reads it: HTML entities (``&#39;``, ``&lt;``) decoded."""
    return html.unescape(response.get_data(as_text=True))
