"""Reading recorded exchanges (journal entries, the shape ``common.journal`` stores): which are
hand-offs, status polls, callbacks, probes; their JSON bodies and times. Pure functions."""
from __future__ import annotations

import datetime as dt
import json

HANDOFF_PATH = "/api/v1/handoffs"
STATUS_PREFIX = "/api/v1/declarations/"
SESSION_HEADER = "X-Spoticar-Certification-Session"
# what a test callback tests and for which scenario: kept by the session (``CertProbe``) and written on
# its evidence (``annotate``: ``entry["certification"]``), never sent; evidence kept before that carries
# them as headers the session sent, read as such
PROBE_HEADER = "X-Spoticar-Certification-Probe"
SCENARIO_HEADER = "X-Spoticar-Certification-Scenario"
DELIVERY_HEADER = "X-Spoticar-Delivery"
TIMESTAMP_HEADER = "X-Spoticar-Timestamp"
ICARE_PATHS = ("/api/v1/npo", "/api/v1/contracts", "/admin/faults")


def header(part: dict, name: str) -> str | None:
    """A header of ``entry["request"]`` / ``["response"]``, case-insensitive."""
    for key, value in (part.get("headers") or {}).items():
        if key.lower() == name.lower():
            return value
    return None


def own_header(entry: dict, name: str) -> str | None:
    """A certification header the centralisateur itself set: on its answer to an incoming request, on
    its own outgoing request. The same header sent by the DMS proves nothing and is ignored (else a
    DMS could slip its requests into another session or another scenario)."""
    part = entry.get("response") if entry["direction"] == "in" else entry.get("request")
    return header(part or {}, name)


def body_json(part: dict):
    """The JSON body, or None when absent, cut or not JSON."""
    if part.get("body_truncated"):
        return None
    try:
        return json.loads(part.get("body") or "")
    except ValueError:
        return None


def parse_time(text: str) -> dt.datetime:
    """An RFC 3339 time ("…Z" or "…+00:00"; naive taken as UTC)."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def when(entry: dict) -> dt.datetime:
    return parse_time(entry["time"])


def is_handoff(entry: dict) -> bool:
    return entry["direction"] == "in" and entry["method"] == "POST" and entry["path"] == HANDOFF_PATH


def is_poll(entry: dict) -> bool:
    return entry["direction"] == "in" and entry["method"] == "GET" and entry["path"].startswith(STATUS_PREFIX)


def is_declaration_open(entry: dict) -> bool:
    return entry["direction"] == "in" and entry["method"] == "GET" and entry["path"].startswith("/declaration/")


def probe_kind(entry: dict) -> str | None:
    """The kind of test callback an exchange is (``valid``, ``bad-signature``, ``replay``, ``stale``,
    ``duplicate``, ``late-retry``), None for any other exchange."""
    if entry["direction"] != "out":
        return None
    return (entry.get("certification") or {}).get("probe") or own_header(entry, PROBE_HEADER)


def probe_scenario(entry: dict) -> str | None:
    """The scenario a test callback was sent for (None for any other exchange)."""
    if entry["direction"] != "out":
        return None
    return (entry.get("certification") or {}).get("scenario") or own_header(entry, SCENARIO_HEADER)


def annotate(entries: list[dict], probes: list[tuple[str, str, str, str]]) -> list[dict]:
    """``entries`` (oldest first), each test callback among them marked with what it tests:
    ``entry["certification"] = {"probe": kind, "scenario": id}``. ``probes``: the session's test
    callbacks in the order sent, ``(delivery id, timestamp, kind, scenario)``; the first exchange sent
    with a probe's delivery id and timestamp not taken by an earlier one is that probe (a replay repeats
    both: the second such exchange). Exchanges already marked (kept so) keep their mark and take their
    probe out of the count."""
    waiting: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for delivery, stamp, kind, scenario in probes:
        waiting.setdefault((delivery, stamp), []).append((kind, scenario))
    if not waiting:
        return entries
    marked = []
    for entry in entries:
        if entry["direction"] == "out" and entry["method"] == "POST":
            sent = waiting.get((own_header(entry, DELIVERY_HEADER) or "", own_header(entry, TIMESTAMP_HEADER) or ""))
            if sent:
                kind, scenario = sent.pop(0)
                if not entry.get("certification"):
                    entry = {**entry, "certification": {"probe": kind, "scenario": scenario}}
        marked.append(entry)
    return marked


def is_callback(entry: dict) -> bool:
    """A state the centralisateur POSTed to a DMS (its own retries, not the session's probes)."""
    return (entry["direction"] == "out" and entry["method"] == "POST" and probe_kind(entry) is None
            and not entry["path"].startswith(ICARE_PATHS))


def accepted(entry: dict) -> bool:
    return entry.get("status") in (200, 201)


def bdc_of(entry: dict) -> str | None:
    """The numéro de BDC an entry is about: the journal's field, else the bodies'."""
    if entry.get("bdc"):
        return entry["bdc"]
    for part in ("response", "request"):
        data = body_json(entry.get(part) or {})
        if isinstance(data, dict) and isinstance(data.get("bdc_number"), str):
            return data["bdc_number"]
    return None


def dig(data, path: str):
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def ordered(entries: list[dict]) -> list[dict]:
    return sorted(entries, key=lambda e: (when(e), str(e["id"])))
