"""« Réessayer maintenant » is claimed in the database like the automatic retries: clicks at once (two
tabs, a double click, another worker's retry) make one attempt at Icare at a time, never two.
Runs on SQLite and, under ``scripts/with-postgres.sh``, on PostgreSQL."""
from __future__ import annotations

import concurrent.futures as cf
import html
import datetime as dt
import httpx
import pytest

from centralisateur.declare import RETRY_UNDER_WAY
from harness.runner import Stack
from harness.testing import icare_contracts
from tests.centralisateur.support import CSRF_RE, api_client, open_form
from tests.journal.support import journal

pytestmark = pytest.mark.centralisateur

CLICKS = 4


def _attempts(stack, bdc: str) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) of each call the centralisateur made to Icare's NPO endpoint for ``bdc``."""
    calls = [e for e in journal(stack, "centralisateur", bdc=bdc)
             if e["direction"] == "out" and e["path"] == "/api/v1/npo"]
    spans = []
    for call in calls:
        start = dt.datetime.fromisoformat(call["time"].replace("Z", "+00:00"))
        spans.append((start, start + dt.timedelta(milliseconds=call["duration_ms"])))
    return sorted(spans)


def test_clicks_at_once_on_reessayer_make_one_attempt_at_a_time(tmp_path, factory):
    # the worker sleeps between passes: the clicks, not the worker, are what is measured here
    stack = Stack(tmp_path, names=["centralisateur", "icare"],
                  extra_config={"centralisateur": {"DEMO_PROFILES_CONFIGURED": True, "ICARE_TIMEOUT": 5.0,
                                                   "WORKER_INTERVAL": 3600},
                                "icare": {"TEST_ROUTES": True}})
    stack.start().wait_ready()
    faults = stack.url("icare") + "/admin/faults"
    try:
        with api_client(stack) as api:
            receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
        bdc = receipt["bdc_number"]
        browser, url, values = open_form(stack, receipt["declaration_url"])
        assert httpx.put(faults, json={"error_status": 503, "count": 1}).status_code == 200
        page = browser.post(url, data=values)
        assert "Le gestionnaire Icare ne répond pas pour le moment" in page.text
        assert "Réessayer maintenant" in page.text
        token = CSRF_RE.search(page.text).group(1)
        retry_url = url.replace("/formulaire", "/relancer")
        # Icare answers slowly now: every click lands while the first one's attempt is under way
        assert httpx.put(faults, json={"latency_ms": 1500, "count": 20}).status_code == 200
        before = len(_attempts(stack, bdc))
        with cf.ThreadPoolExecutor(CLICKS) as pool:
            pages = list(pool.map(lambda _: browser.post(retry_url, data={"csrf_token": token}),
                                  range(CLICKS)))
        assert all(p.status_code == 200 for p in pages), [p.status_code for p in pages]
        assert any(RETRY_UNDER_WAY in html.unescape(p.text) for p in pages)  # the others were told, not sent twice
        attempts = _attempts(stack, bdc)
        assert len(attempts) - before == 1, attempts
        for (_, end), (start, _) in zip(attempts, attempts[1:]):
            assert start >= end, attempts  # never two attempts at Icare at once
        with api_client(stack) as api:
            state = api.get(f"/api/v1/declarations/{bdc}").json()
        assert state["status"] == "declared"  # the one attempt the clicks made was answered
        assert [c["contract_number"] for c in icare_contracts(stack, bdc_number=bdc)] == [state["contract_number"]]
        confirmation = browser.get(url.replace("/formulaire", "/confirmation"))
        assert f"(numéro de contrat : {state['contract_number']})" in confirmation.text
    finally:
        httpx.delete(faults)
        stack.stop()
