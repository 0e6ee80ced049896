"""Reading the journals of a running stack over HTTP, as the CLI and a person would."""
from __future__ import annotations

import httpx

def outside_trace(factory) -> tuple[str, str]:
    """``(trace id, traceparent)`` of a DMS's own trace, drawn from the test's data: a fixed one met the
    hand-offs an earlier run sent in it on an external stack (the journal keeps them: ``bdc=`` gives the
    whole trace)."""
    trace = factory.fake.hexify("^" * 32)
    return trace, f"00-{trace}-00f067aa0ba902b7-01"


def journal(stack, app: str, **filters) -> list[dict]:
    """``GET /__admin/journal`` of one app of ``stack`` (demo mode: open)."""
    response = httpx.get(stack.url(app) + "/__admin/journal", params=filters, timeout=20)
    assert response.status_code == 200, response.text
    return response.json()["entries"]


def entries_in(stack, app: str, trace: str) -> list[dict]:
    return journal(stack, app, trace=trace)
