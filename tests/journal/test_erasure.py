"""An RGPD erasure reaches every journal entry holding a customer's value, whichever encoder wrote it:
an entry with a lone surrogate (which orjson refuses) is written by the standard encoder, and its
accented values must be stored as typed (UTF-8), not escaped where the erasure's search misses them."""
from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import quote_plus

import pytest
from sqlalchemy import event

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
        escaped["mark"] = None
        assert b"H\\u00e9l\\u00e8ne" in escaped["request"]
        app.extensions["journal"].store.put(escaped)
        assert len(app.extensions["journal"].query(limit=10)) == 1
        assert journal.erase(app, ["Hélène Bézier"]) == 1
        assert app.extensions["journal"].query(limit=10) == []
    finally:
        server.stop()
        app.extensions["harness_stop"]()


def test_an_erasure_finds_a_name_a_client_sent_with_its_accents_escaped(tmp_path):
    """A client may send its JSON with every accent escaped — Python's ``json`` and requests
    (``\\u00e9``), .NET's System.Text.Json (``\\u00E9``): the journal keeps the body as it came, so the
    erasure looks for the name written that way too, inside the entry's JSON. LIKE compares case as
    PostgreSQL's does (SQLite's folds ASCII letters: ``\\u00E9`` would match ``\\u00e9`` there alone)."""
    app, server = _solo(tmp_path)
    engine = app.extensions["journal"].store.db.engine
    event.listen(engine, "connect", lambda connection, _record: connection.execute("PRAGMA case_sensitive_like=ON"))
    engine.dispose()
    try:
        lower_hex = json.dumps({"nom": "Hélène Bézier", "ville": "Lyon"})
        upper_hex = lower_hex.replace("\\u00e9", "\\u00E9").replace("\\u00e8", "\\u00E8")
        assert "H\\u00e9l\\u00e8ne" in lower_hex and "H\\u00E9l\\u00E8ne" in upper_hex
        other = json.dumps({"nom": "Paul Martin", "ville": "Lyon"})
        for body in (lower_hex, upper_hex, other):
            app.extensions["journal"].record(**_entry(body))
        assert journal.erase(app, ["Hélène Bézier"]) == 2
        assert [e["request"]["body"] for e in app.extensions["journal"].query(limit=10)] == [other]
    finally:
        server.stop()
        app.extensions["harness_stop"]()



def test_an_erasure_finds_a_value_whatever_its_letter_case(journal_stack):
    """A DMS may send a name in capitals, a client percent-encode a URL's accents in small letters
    (``%c3%a9``): the erasure finds them on SQLite (whose LIKE folds ASCII letters only) and on
    PostgreSQL (whose LIKE folds none) alike."""
    app = journal_stack.app("centralisateur")
    name, other = "Hélène Bézïerqx", "Hélène Bézïerzw"  # this test's own customers, in the shared stack
    entries = [_entry(json.dumps({"nom": name.upper()}, ensure_ascii=False)),
               {**_entry("{}"), "url": "http://127.0.0.1:1/clients?nom=" + re.sub(
                   "%[0-9A-F]{2}", lambda hexa: hexa.group(0).lower(), quote_plus(name))},
               _entry(json.dumps({"email": "HELENE.BEZIERQX@EXEMPLE.FR"})),
               _entry(json.dumps({"nom": other}, ensure_ascii=False))]
    for entry in entries:
        app.extensions["journal"].record(**entry)
    assert journal.erase(app, [name, "helene.bezierqx@exemple.fr"]) == 3
    left = [e["request"]["body"] + e["url"] for e in app.extensions["journal"].query(limit=5000)]
    assert not [e for e in left if "erqx" in e.lower()] and any(other in e for e in left)
