"""What the journal stores: no secret, bounded, never in the way of a request, bad input escaped."""
from __future__ import annotations

import concurrent.futures as cf

import httpx
import pytest
from sqlalchemy import text

from centralisateur import demo_password
from common.keys import DEMO_ICARE_SERVICE_KEY as DEMO_ICARE_KEY
from common.serve import AppServer
from fixtures import reference
from harness.testing import call_test_route
from tests.centralisateur.support import CSRF_RE, api_client
from tests.journal.support import journal
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur

DEALER = reference.demo_dealers()[0]


def _raw_journal(stack, app: str) -> bytes:
    """Everything an app's journal holds in storage (files or table rows), over its test route."""
    response = call_test_route(stack, app, "GET", "/journal/raw")
    assert response.status_code == 200, response.text
    return response.content


def test_no_secret_reaches_the_journal_files(journal_stack, factory):
    cds, icare = journal_stack.url("centralisateur"), journal_stack.url("icare")
    with httpx.Client(verify=tls_context(), base_url=cds, timeout=20) as browser:
        csrf = CSRF_RE.search(browser.get("/connexion").text).group(1)
        wrong = browser.post("/connexion", data={"csrf_token": csrf, "email": DEALER["login"],
                                                 "password": "Typed-Wrong-Password-91"})
        assert wrong.status_code == 401
        home = browser.post("/connexion", data={"csrf_token": csrf, "email": DEALER["login"],
                                                "password": demo_password(DEALER)}, follow_redirects=True)
        assert home.status_code == 200 and "Accueil" in home.text
        session_cookie = browser.cookies.get("centralisateur_session")
    with api_client(journal_stack) as api:
        assert api.post("/api/v1/handoffs", json=factory.handoff()).status_code == 201
    email = DEALER["convention_email"]
    with httpx.Client(verify=tls_context(), base_url=icare, timeout=20) as browser:
        token = CSRF_RE.search(browser.get("/mot-de-passe-oublie").text).group(1)
        assert browser.post("/mot-de-passe-oublie", data={"csrf_token": token, "email": email}).status_code == 200
        link = next(url for mail in browser.get("/outbox/mails.json", params={"to": email}).json()["mails"]
                    for url in mail["links"] if "/reinitialisation/" in url)
        assert browser.get(link).status_code == 200
        reset_token = link.rsplit("/", 1)[1]
        httpx.post(icare + "/api/v1/npo", json={}, headers={"Authorization": f"Bearer {DEMO_ICARE_KEY}"})
    logins = [e for e in journal(journal_stack, "centralisateur") if e["path"] == "/connexion"
              and e["method"] == "POST"]
    assert logins and all("password=[REDACTED]" in e["request"]["body"] for e in logins)
    assert any(e["path"] == "/reinitialisation/[REDACTED]" for e in journal(journal_stack, "icare"))
    secrets = [*reference.demo_api_keys().values(), DEMO_ICARE_KEY, "Typed-Wrong-Password-91",
               demo_password(DEALER), csrf, token, reset_token, session_cookie]
    for app in ("centralisateur", "icare"):
        raw = _raw_journal(journal_stack, app)
        assert b"/connexion" in raw or b"/mot-de-passe-oublie" in raw  # the files do hold the exchanges
        for secret in secrets:
            assert secret.encode() not in raw, (app, secret)


def _solo(tmp_path, **config):
    """A centralisateur of its own on a real port (its journal settings in ``config``), on its own
    SQLite file even in the PostgreSQL pass: these tests count and drop the journal's table, which
    would be the shared stack's on a shared server database."""
    from centralisateur import create_app
    app = create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "URLS": {}, **config})
    return app, AppServer.bind().mount(app).start()


def test_retention_holds_under_5000_requests(tmp_path):
    app, server = _solo(tmp_path, JOURNAL_MAX_ENTRIES=300)
    store = app.extensions["journal"].store
    try:
        def send(numbers: range) -> set[int]:
            with httpx.Client(verify=tls_context(), base_url=server.url, timeout=20) as client:
                return {client.get(f"/api/v1/declarations/SP0000000{n:09d}").status_code for n in numbers}

        with cf.ThreadPoolExecutor(4) as pool:  # four clients at once, 1,250 requests each
            statuses = set().union(*pool.map(send, [range(k, 5000, 4) for k in range(4)]))
        assert statuses == {401}
        with httpx.Client(verify=tls_context(), base_url=server.url, timeout=20) as client:
            client.get("/api/v1/declarations/SP0000000999999999")
        app.extensions["journal"].flush()
        entries = journal_rows(app)
        assert len(entries) == 300
        assert entries[-1]["path"] == "/api/v1/declarations/SP0000000999999999"
        assert len({e["path"] for e in entries}) == 300
        store.max_age = store.max_age.__class__(seconds=0)  # age rule: everything is now too old
        store.prune_now()
        assert journal_rows(app) == []
    finally:
        server.stop()
        app.extensions["harness_stop"]()


def journal_rows(app) -> list[dict]:
    return app.extensions["journal"].query(limit=5000)


def test_a_failing_journal_write_never_fails_the_request(tmp_path):
    app, server = _solo(tmp_path)
    store = app.extensions["journal"].store
    try:
        with httpx.Client(verify=tls_context(), base_url=server.url, timeout=20) as client:
            assert client.get("/connexion").status_code == 200
            app.extensions["journal"].flush()
            with store.db.engine.begin() as conn:  # the journal's table vanishes under the app
                conn.execute(text(f"DROP TABLE {store.entries.name}"))
            for _ in range(3):
                assert client.get("/connexion").status_code == 200
                assert client.post("/api/v1/handoffs", json={}).status_code == 401
            app.extensions["journal"].flush()
            assert store.failed_writes >= 1
            assert client.get("/connexion", params={"after": "failure"}).status_code == 200
            lost = client.get("/__admin/journal", params={"limit": 1}).json()["lost"]
            assert lost["write_failed"] >= 1 and lost["queue_full"] == 0  # said, not silent
        entries = app.extensions["journal"].query()  # the table is back and the journal goes on
        assert entries[-1]["url"].endswith("/connexion?after=failure") and len(entries) < 7
    finally:
        server.stop()
        app.extensions["harness_stop"]()


def test_bad_input_is_journalled_cut_and_escaped(journal_stack):
    cds = journal_stack.url("centralisateur")
    marker = "bad-input-probe"
    with httpx.Client(verify=tls_context(), base_url=cds, timeout=20) as client:
        oversized = client.post(f"/api/v1/handoffs?{marker}=big", content=b"{" + b"x" * (2 * 1024 * 1024),
                                headers={"Content-Type": "application/json", "Authorization": "Bearer demo-tec3h"})
        binary = client.post(f"/api/v1/handoffs?{marker}=binary", content=b"\xff\xfe\x00\x01<script>\x80",
                             headers={"Content-Type": "application/json", "Authorization": "Bearer demo-tec3h"})
        huge = client.get(f"/connexion?{marker}=header", headers={"X-Huge": ("é" * 30000).encode()})
    assert oversized.status_code == 413 and binary.status_code == 400 and huge.status_code == 200
    entries = {e["url"].rsplit("=", 1)[1]: e for e in journal(journal_stack, "centralisateur")
               if marker in e["url"]}
    big = entries["big"]["request"]
    assert big["body_truncated"] is True and len(big["body"]) <= 16 * 1024
    assert entries["binary"]["request"]["body"] == "\\xff\\xfe\\x00\\x01<script>\\x80"
    assert entries["binary"]["response"]["body"].startswith('{"errors"')
    header = entries["header"]["request"]["headers"]["X-Huge"]
    assert header.endswith("…[cut]") and len(header) < 2100 and header.startswith("é")


def test_a_huge_path_and_query_are_journalled_cut(journal_stack):
    cds = journal_stack.url("centralisateur")
    marker = "huge-path-probe"
    with httpx.Client(verify=tls_context(), base_url=cds, timeout=20) as client:
        answer = client.get(f"/{marker}/" + "a" * 60000, params={"q": "b" * 20000})
    assert answer.status_code in (404, 414, 431)
    entry = next(e for e in journal(journal_stack, "centralisateur") if marker in e["url"])
    for kept in (entry["url"], entry["path"]):
        assert kept.endswith("…[cut]") and len(kept) == 2048 + len("…[cut]")
    assert entry["path"].startswith(f"/{marker}/aaa")


def test_an_entry_the_writer_cannot_build_is_lost_counted_never_the_request(tmp_path, monkeypatch):
    """Redaction and encoding run on the journal's writer thread: a failure there loses that entry (said
    at /__admin/journal), never the answer, and the writer goes on with the next ones."""
    from common.journal import redact
    app, server = _solo(tmp_path)
    try:
        with httpx.Client(verify=tls_context(), base_url=server.url, timeout=20) as client:
            real = redact.body

            def failing(raw, content_type, *args, **kwargs):
                if b"casse" in raw:
                    raise RuntimeError("redaction impossible")
                return real(raw, content_type, *args, **kwargs)

            monkeypatch.setattr(redact, "body", failing)
            answer = client.post("/connexion", data={"email": "casse@example.fr", "password": "x"})
            assert answer.status_code == 400 and "rechargez la page" in answer.text  # its own answer (no CSRF)
            assert client.get("/connexion", params={"after": "failure"}).status_code == 200
            journal = client.get("/__admin/journal").json()
        assert journal["lost"]["write_failed"] == 1
        assert [e["method"] + " " + e["path"] for e in journal["entries"]] == ["GET /connexion"]
        assert journal["entries"][0]["url"].endswith("?after=failure")
    finally:
        server.stop()
        app.extensions["harness_stop"]()


def test_an_older_journal_file_gets_the_indexes_declared_since(tmp_path):
    """A data directory made by an older version: its journal file (SQLite, beside the app's) lacks an
    index declared since; the next start adds it, as ``common.schema`` does for the apps' own tables."""
    import sqlite3

    from sqlalchemy.orm import DeclarativeBase

    from common.db import Database
    from common.journal.store import JournalStore

    class AppBase(DeclarativeBase):
        pass

    def start() -> None:
        JournalStore("demoapp", max_entries=100, max_age=3600, queue_size=100).attach(
            Database(f"sqlite:///{tmp_path / 'demoapp.sqlite3'}", AppBase))

    def indexes() -> set[str]:
        with sqlite3.connect(tmp_path / "demoapp-journal.sqlite3") as connection:
            return {name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")}

    start()
    declared = indexes()
    assert declared
    older = sorted(declared)[0]
    with sqlite3.connect(tmp_path / "demoapp-journal.sqlite3") as connection:  # as an older version left it
        connection.execute(f'DROP INDEX "{older}"')
        connection.execute("DELETE FROM harness_schema")
    assert older not in indexes()
    start()
    assert indexes() == declared


def test_an_older_journal_file_gets_its_session_marks_and_its_sessions_are_found_by_them(tmp_path):
    """A journal file an earlier version wrote has no ``mark`` column: the next start adds it and marks
    the exchanges the app marked with its header (on its answer), not those whose sender wrote it; the
    header filter then reads the index, and finds them as the text search did."""
    import datetime as dt
    import json
    import sqlite3

    from sqlalchemy.orm import DeclarativeBase

    from common.db import Database
    from common.journal.store import JournalStore

    class AppBase(DeclarativeBase):
        pass

    header = "X-Spoticar-Certification-Session"

    def start() -> JournalStore:
        store = JournalStore("demoapp", max_entries=100, max_age=3600, queue_size=100, mark_header=header)
        store.attach(Database(f"sqlite:///{tmp_path / 'demoapp.sqlite3'}", AppBase))
        return store

    start().dispose()
    path = tmp_path / "demoapp-journal.sqlite3"
    with sqlite3.connect(path) as connection:  # as an earlier version left it: no mark, two exchanges
        index = connection.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%mark%'").fetchone()
        connection.execute(f'DROP INDEX "{index[0]}"')
        connection.execute("ALTER TABLE demoapp_journal DROP COLUMN mark")
        connection.execute("DELETE FROM harness_schema")
        for number, (sent, answered) in enumerate((({}, {header: "cs_old"}), ({header.lower(): "cs_old"}, {}))):
            connection.execute(
                "INSERT INTO demoapp_journal (time, direction, method, url, path, status, duration_ms, trace_id,"
                " span_id, request, response) VALUES (?, 'in', 'POST', ?, ?, 201, 1.0, ?, ?, ?, ?)",
                (dt.datetime(2026, 12, 1, 8, number).isoformat(" "), f"/api/{number}", f"/api/{number}", "0" * 32,
                 "0" * 16, json.dumps({"headers": sent, "body": ""}), json.dumps({"headers": answered, "body": ""})))
    store = start()
    try:
        with sqlite3.connect(path) as connection:
            assert connection.execute("SELECT path, mark FROM demoapp_journal ORDER BY id").fetchall() == [
                ("/api/0", "cs_old"), ("/api/1", None)]
        assert [e["path"] for e in store.query(header=(header, "cs_old"))] == ["/api/0"]
        assert store.query(header=(header, "cs_other")) == []
    finally:
        store.dispose()


def test_a_stopped_app_writes_its_queue_and_leaves_no_writer_behind(tmp_path):
    """An app a test process makes and stops (``harness_stop``, as every suite's per-test app does)
    writes what its journal had queued, then ends its writer thread: the next app on the same data
    reads it back."""
    app, server = _solo(tmp_path)
    try:
        with httpx.Client(verify=tls_context(), base_url=server.url, timeout=20) as client:
            assert client.get("/connexion", params={"avant": "arrêt"}).status_code == 200
    finally:
        server.stop()
        app.extensions["harness_stop"]()
    assert not app.extensions["journal"].store._thread.is_alive()
    again, server = _solo(tmp_path)
    try:
        urls = [entry["url"] for entry in again.extensions["journal"].query()]
        assert any(url.endswith("/connexion?avant=arr%C3%AAt") for url in urls), urls
    finally:
        server.stop()
        again.extensions["harness_stop"]()


def test_the_header_filter_finds_an_accented_value_written_escaped_or_as_typed():
    """``header=Name:value`` finds a value with accents in an entry written as UTF-8 (orjson) and in one
    the standard encoder wrote with its accents escaped (``\\u00e9``), which a journal still keeps."""
    import datetime as dt
    import json

    from sqlalchemy import MetaData, create_engine, select

    from common.journal.schema import header_condition, tables

    engine = create_engine("sqlite://")
    entries, _traces = tables(MetaData(), "probe")
    entries.create(engine)
    answer = {"status": 200, "headers": {"X-Spoticar-Dealer": "Garage Désiré"}}
    with engine.begin() as conn:
        for number, ascii_only in enumerate((False, True), start=1):
            conn.execute(entries.insert().values(
                time=dt.datetime(2026, 12, 1), direction="in", method="GET", url=f"/page/{number}",
                path=f"/page/{number}", status=200, trace_id="0" * 32, span_id="0" * 16, request="{}",
                response=json.dumps(answer, ensure_ascii=ascii_only, separators=(",", ":"))))
        found = conn.execute(select(entries.c.path).where(
            header_condition(entries, "X-Spoticar-Dealer", "Garage Désiré")).order_by(entries.c.id)).scalars()
        assert list(found) == ["/page/1", "/page/2"]
        assert conn.execute(select(entries.c.path).where(
            header_condition(entries, "X-Spoticar-Dealer", "Garage Desire"))).first() is None
