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
