"""Reading the journals of a running stack over HTTP, as the CLI and a person would."""
from __future__ import annotations

import httpx

OUTSIDE_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
OUTSIDE_PARENT = f"00-{OUTSIDE_TRACE}-00f067aa0ba902b7-01"


def journal(stack, app: str, **filters) -> list[dict]:
    """``GET /__admin/journal`` of one app of ``stack`` (demo mode: open)."""
    response = httpx.get(stack.url(app) + "/__admin/journal", params=filters, timeout=20)
    assert response.status_code == 200, response.text
    return response.json()["entries"]


def entries_in(stack, app: str, trace: str) -> list[dict]:
    return journal(stack, app, trace=trace)
