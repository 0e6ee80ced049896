"""Journal entries (the shape ``common.journal`` stores) built for the checks' unit tests."""
from __future__ import annotations

import datetime as dt
import itertools
import json

_ids = itertools.count(1)
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc)


def entry(direction: str, method: str, path: str, status: int | None, *, request=None, response=None,
          at: float = 0.0, bdc: str | None = None, headers: dict | None = None, duration_ms: float = 12.0) -> dict:
    """One exchange ``at`` seconds after T0, bodies given as Python values (JSON-encoded here)."""
    return {"id": str(next(_ids)), "app": "centralisateur", "time": (T0 + dt.timedelta(seconds=at)).isoformat(),
            "direction": direction, "method": method, "url": "http://cds.test" + path, "path": path,
            "status": status, "duration_ms": duration_ms, "trace_id": "0" * 32, "span_id": "0" * 16, "bdc": bdc,
            "request": {"headers": headers or {}, "body": json.dumps(request) if request is not None else "",
                        "body_truncated": False},
            "response": {"headers": {}, "body": json.dumps(response) if response is not None else "",
                         "body_truncated": False}}


def handoff(body: dict, status: int = 201, bdc: str = "SPC1234560000001", at: float = 0.0, **response) -> dict:
    answer = ({"handoff_id": 1, "bdc_number": bdc, "declaration_url": "http://cds.test/declaration/x",
               "status": "pending", "warnings": [], **response} if status in (200, 201)
              else {"errors": response.get("errors", [])})
    return entry("in", "POST", "/api/v1/handoffs", status, request=body, response=answer, at=at,
                 bdc=bdc if status in (200, 201) else None)


def callback(state: dict, status: int | None = 200, at: float = 0.0, probe: str | None = None,
             legacy: bool = False, **kw) -> dict:
    """A callback POSTed to the DMS; ``probe``: a test callback of that kind, marked as the evidence marks
    it (``certification.exchanges.annotate``), or, ``legacy``, as evidence kept before was: a header sent."""
    headers = {"X-Spoticar-Certification-Probe": probe} if probe and legacy else {}
    made = entry("out", "POST", "/api/spoticar/callback", status, request=state, response={}, at=at,
                 bdc=state["bdc_number"], headers=headers, **kw)
    if probe and not legacy:
        made["certification"] = {"probe": probe, "scenario": None}
    return made


def poll(bdc: str, status_value: str, at: float) -> dict:
    return entry("in", "GET", f"/api/v1/declarations/{bdc}", 200, response={"bdc_number": bdc,
                                                                             "status": status_value}, at=at, bdc=bdc)
