"""An RGPD erasure reaches every journal entry holding a customer's value, whichever encoder wrote it:
an entry with a lone surrogate (which orjson refuses) is written by the standard encoder, and its
accented values must be stored as typed (UTF-8), not escaped where the erasure's search misses them."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from common import journal
from tests.journal.test_storage import _solo

pytestmark = pytest.mark.centralisateur


def _entry(body: str) -> dict:
    return {"time": dt.datetime.now(dt.UTC).replace(tzinfo=None), "direction": "out", "method": "POST",
            "url": "http://127.0.0.1:1/clients", "path": "/clients", "status": 201, "duration_ms": 1.0,
            "trace_id": "0" * 31 + "1", "span_id": "0" * 15 + "1", "bdc": None,
            "request": {"headers": {"Content-Type": "application/json"}, "body": body, "body_truncated": False},
            "response": {"headers": {}, "body": "", "body_truncated": False}}


def test_an_erasure_finds_an_accented_name_in_an_entry_with_a_lone_surrogate(tmp_path):
    app, server = _solo(tmp_path)
    try:
        with_surrogate = json.dumps({"nom": "Hélène Bézier", "note": "\ud800"}, ensure_ascii=False)
        plain = json.dumps({"nom": "Hélène Bézier", "note": "ok"}, ensure_ascii=False)
        for body in (with_surrogate, plain, json.dumps({"nom": "Paul Martin", "note": "\udc80"})):
            app.extensions["journal"].record(**_entry(body))
        stored = [e["request"]["body"] for e in app.extensions["journal"].query(limit=10)]
        assert with_surrogate in stored and plain in stored  # read back as they were, surrogate included
        assert journal.erase(app, ["Hélène Bézier"]) == 2
        left = [e["request"]["body"] for e in app.extensions["journal"].query(limit=10)]
        assert left == [json.dumps({"nom": "Paul Martin", "note": "\udc80"})]
    finally:
        server.stop()
        app.extensions["harness_stop"]()


def test_an_erasure_finds_an_entry_an_earlier_version_wrote_with_accents_escaped(tmp_path):
    app, server = _solo(tmp_path)
    try:
        entry = _entry(json.dumps({"nom": "Hélène Bézier", "note": "\ud800"}, ensure_ascii=False))
        # as the standard encoder wrote it then: every character beyond ASCII escaped (\u00e9)
        escaped = {k: json.dumps(v).encode() if k in ("request", "response") else v for k, v in entry.items()}
        assert b"H\\u00e9l\\u00e8ne" in escaped["request"]
        app.extensions["journal"].store.put(escaped)
        assert len(app.extensions["journal"].query(limit=10)) == 1
        assert journal.erase(app, ["Hélène Bézier"]) == 1
        assert app.extensions["journal"].query(limit=10) == []
    finally:
        server.stop()
        app.extensions["harness_stop"]()
