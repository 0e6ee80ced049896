"""Journal entries (of one or several apps) as HAR 1.2, the format Chrome DevTools and HAR viewers open.

Each entry keeps what HAR has no field for under ``_``-prefixed names (allowed by the spec):
``_app``, ``_direction``, ``_traceId``, ``_spanId``, ``_bdc``, ``_id``; and, for a certification session's test
callback, ``_certification`` (what it tests and for which scenario: ``{"probe", "scenario"}``).
"""
from __future__ import annotations

from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

HAR_VERSION = "1.2"


def _pairs(mapping: dict) -> list[dict]:
    return [{"name": str(k), "value": str(v)} for k, v in (mapping or {}).items()]


def _header(headers: dict, name: str) -> str:
    return next((v for k, v in (headers or {}).items() if k.lower() == name), "")


def _status_text(status: int | None) -> str:
    try:
        return HTTPStatus(status).phrase if status else "No answer"
    except ValueError:
        return ""


def har_entry(entry: dict) -> dict:
    """One journal entry (the ``common.journal`` dict) as a HAR ``log.entries[]`` item."""
    request, response = entry["request"], entry["response"]
    req_type = _header(request["headers"], "content-type")
    res_type = _header(response["headers"], "content-type") or "application/octet-stream"
    har_request = {
        "method": entry["method"], "url": entry["url"], "httpVersion": "HTTP/1.1", "cookies": [],
        "headers": _pairs(request["headers"]),
        "queryString": [{"name": k, "value": v}
                        for k, v in parse_qsl(urlsplit(entry["url"]).query, keep_blank_values=True)],
        "headersSize": -1, "bodySize": len(request["body"].encode()) if request["body"] else 0}
    if request["body"]:
        har_request["postData"] = {"mimeType": req_type or "application/octet-stream",
                                   "text": request["body"]}
    duration = float(entry["duration_ms"] or 0)
    return {
        "startedDateTime": entry["time"], "time": duration,
        "request": har_request,
        "response": {
            "status": int(entry["status"] or 0), "statusText": _status_text(entry["status"]),
            "httpVersion": "HTTP/1.1", "cookies": [], "headers": _pairs(response["headers"]),
            "content": {"size": len(response["body"].encode()), "mimeType": res_type,
                        "text": response["body"],
                        **({"comment": "body cut by the journal"} if response["body_truncated"] else {})},
            "redirectURL": _header(response["headers"], "location"), "headersSize": -1,
            "bodySize": len(response["body"].encode())},
        "cache": {},
        "timings": {"send": 0, "wait": duration, "receive": 0},
        "comment": f"{entry['app']} {entry['direction']}",
        "_app": entry["app"], "_direction": entry["direction"], "_traceId": entry["trace_id"],
        "_spanId": entry["span_id"], "_bdc": entry["bdc"], "_id": entry["id"],
        **({"_certification": entry["certification"]} if entry.get("certification") else {}),
    }


def merge(*journals: list[dict]) -> list[dict]:
    """Several apps' entries as one timeline (by time, then app, then id)."""
    return sorted((e for entries in journals for e in entries),
                  key=lambda e: (e["time"], e["app"], e["id"]))


def to_har(entries: list[dict], *, creator_version: str = "0.1.0", comment: str = "") -> dict:
    """A HAR 1.2 document of ``entries`` (already in timeline order)."""
    return {"log": {"version": HAR_VERSION,
                    "creator": {"name": "spoticar-harness journal", "version": creator_version},
                    "pages": [], "entries": [har_entry(e) for e in entries],
                    **({"comment": comment} if comment else {})}}
