"""A page asking for a declaration's trace settles, on its own thread, only the queued exchanges that
may carry that numéro de BDC — not the whole queue (160 ms with 9,000 queued) —, and the writer
settles the others: every entry still gets its numéro de BDC and trace."""
from __future__ import annotations

import pytest

import centralisateur
from common import journal
from fixtures.factories import Factory
from tests.seeded import seeded_app

pytestmark = pytest.mark.centralisateur

OTHERS = 30


def test_a_trace_asked_for_settles_only_what_may_carry_its_bdc(tmp_path):
    app = seeded_app(centralisateur, {"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "URLS": {}})
    store = app.extensions["journal"].store
    try:
        assert store._thread is None  # nothing queued yet: no writer
        store._closing = True  # no writer starts: what is queued stays there until this test lets it go
        client, factory = app.test_client(), Factory(7)

        def hand_off() -> str:
            sent = client.post("/api/v1/handoffs", json=factory.handoff(),
                               headers={"Authorization": "Bearer demo-tec3h"})
            assert sent.status_code == 201, sent.get_data(as_text=True)
            return sent.get_json()["bdc_number"]
        bdcs = [hand_off() for _ in range(OTHERS + 1)]
        wanted = bdcs[OTHERS // 2]
        assert len(store._pending) == OTHERS + 1 and not any(row.settled for row in store._pending)
        trace = journal.trace_for_bdc(app, wanted)
        assert trace is not None
        settled = [row.fields["bdc"] for row in store._pending if row.settled]
        assert settled == [wanted]  # the others are left to the writer
        store._closing = False
        app.extensions["journal"].flush()
        for bdc in bdcs:  # the writer settled the others: each hand-off's entry has its BDC
            entries = journal.query(app, bdc=bdc)
            assert [e["path"] for e in entries] == ["/api/v1/handoffs"], bdc
        assert journal.query(app, bdc=wanted)[0]["trace_id"] == trace
    finally:
        store._closing = False
        app.extensions["harness_stop"]()


def test_an_exchange_settled_for_another_bdc_does_not_bind_one_before_its_hand_off():
    """An exchange carrying two numéros (a list whose first ``bdc_number`` is the hand-off's ``first``,
    then ``second``), settled because a page asked for ``second``, binds ``first``: the hand-off of
    ``first`` queued before it is settled first, so ``first`` joins the hand-off's trace, not the list's."""
    from common.journal.registry import Journal
    from common.journal.store import Later

    first, second = "SP953617Z103833742", "SP953617Z103833743"
    journal_ = Journal("settling", {})  # no database: bindings in memory only
    store = journal_.store
    store._closing = True  # no writer: what is queued stays queued

    def exchange(trace: str, path: str, body: bytes, from_caller: bool) -> Later:
        fields = {"trace_id": trace, "span_id": "1" * 16, "bdc": None, "tracestate": None}
        return Later(fields, {}, b"", None, 0, ("Content-Type", "application/json"), body, None, len(body),
                     target=("http", "centralisateur", path, "", from_caller))

    hand_off, listing = "a" * 32, "b" * 32
    journal_.record_later(exchange(hand_off, "/api/v1/handoffs", b'{"bdc_number":"%s"}' % first.encode(), True))
    journal_.record_later(exchange(listing, "/admin/rgpd/export", b'{"declarations":[{"bdc_number":"%s"},'
                                   b'{"bdc_number":"%s"}]}' % (first.encode(), second.encode()), False))
    assert store.trace_for_bdc(second) is None  # the list holds it, but it is no hand-off's: no binding
    assert store.trace_for_bdc(first) == (hand_off, None)
    store.settle_pending()
    assert [row.fields["trace_id"] for row in store._pending] == [hand_off, hand_off]  # the list joins it


def test_a_batch_is_stored_as_sqlalchemy_writes_each_column(tmp_path):
    """The writer's INSERTs pick each row's parameters themselves (``store._many``): the rows stored,
    read back through SQLAlchemy and as the database holds them, are what a plain insert stores."""
    import datetime as dt

    from sqlalchemy import insert, select, text
    from sqlalchemy.orm import DeclarativeBase

    from common.db import Database
    from common.journal.registry import Journal

    class Base(DeclarativeBase):
        pass

    db = Database(f"sqlite:///{tmp_path}/app.sqlite3", Base)
    journal_ = Journal("batch", {})
    journal_.attach(db)
    store = journal_.store
    moments = [dt.datetime(2026, 12, 1, 4, 5, 6, 789), dt.datetime(2026, 12, 1, 4, 5, 7)]
    for at, moment in enumerate(moments):
        journal_.record(request={"headers": {"Host": "é"}, "body": "", "body_truncated": False},
                        response={"headers": {}, "body": "ok", "body_truncated": False}, time=moment,
                        direction="in", method="POST", url=f"http://x/api/{at}", path=f"/api/{at}", status=201,
                        duration_ms=1.5, trace_id=f"{at}" * 32, span_id="2" * 16, bdc=f"SP953617Z10383377{at}",
                        tracestate=None)
    assert journal_.flush()
    with store.db.engine.begin() as conn:  # the same values through SQLAlchemy's own INSERT
        conn.execute(insert(store.entries), [{**{c: r[c] for c in r if c != "id"}, "url": r["url"] + "#plain"}
                                             for r in conn.execute(select(store.entries)).mappings().all()])
        stored = conn.execute(text(f"SELECT time, method, url, status, duration_ms, bdc, request FROM "
                                   f"{store.entries.name} ORDER BY id")).all()
        bound = conn.execute(text(f"SELECT bdc, trace_id, time FROM {store.traces.name} ORDER BY bdc")).all()
    ours, plain = stored[:2], stored[2:]
    assert [row[0] for row in ours] == ["2026-12-01 04:05:06.000789", "2026-12-01 04:05:07.000000"]
    assert [row[0] for row in ours] == [row[0] for row in plain]
    assert [row[1:] for row in ours] == [(*row[1:2], row[2][:-len("#plain")], *row[3:]) for row in plain]
    assert bound == [("SP953617Z103833770", "0" * 32, ours[0][0]), ("SP953617Z103833771", "1" * 32, ours[1][0])]
    assert sorted({entry["time"] for entry in journal_.query()}) == ["2026-12-01T04:05:06.000789Z",
                                                                      "2026-12-01T04:05:07.000000Z"]
