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
