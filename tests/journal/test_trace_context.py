"""W3C Trace Context at the hand-off API: an outside DMS's trace is kept, a malformed one replaced."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.centralisateur.support import api_client, open_form
from tests.journal.support import journal, outside_trace

pytestmark = pytest.mark.centralisateur

TRACE_ID = re.compile(r"[0-9a-f]{32}")


def test_traceparent_sent_by_an_outside_dms_is_kept_down_to_icare(journal_stack, factory):
    OUTSIDE_TRACE, OUTSIDE_PARENT = outside_trace(factory)  # noqa: N806
    with api_client(journal_stack) as api:
        response = api.post("/api/v1/handoffs", json=factory.handoff(),
                            headers={"traceparent": OUTSIDE_PARENT, "tracestate": "vendor=opaque,x=1"})
        assert response.status_code == 201, response.text
        bdc = response.json()["bdc_number"]
        browser, url, values = open_form(journal_stack, response.json()["declaration_url"])
        page = browser.post(url, data=values)
        assert "Votre demande a été effectuée avec succès" in page.text
    [handoff] = [e for e in journal(journal_stack, "centralisateur", bdc=bdc) if e["direction"] == "in"
                 and e["path"] == "/api/v1/handoffs"]
    assert handoff["trace_id"] == OUTSIDE_TRACE and handoff["bdc"] == bdc and handoff["status"] == 201
    assert handoff["request"]["headers"]["Tracestate"] == "vendor=opaque,x=1"
    # the browser's pages and the calls to Icare joined the DMS's trace
    paths = [(e["direction"], e["path"]) for e in journal(journal_stack, "centralisateur", trace=OUTSIDE_TRACE)]
    assert ("in", urlsplit(url).path) in paths
    assert ("out", "/api/v1/npo") in paths and ("out", "/api/v1/contracts") in paths
    icare = journal(journal_stack, "icare", bdc=bdc)
    assert {e["path"] for e in icare} >= {"/api/v1/npo", "/api/v1/contracts"}
    assert {e["trace_id"] for e in icare} == {OUTSIDE_TRACE}
    assert all(e["request"]["headers"]["Tracestate"] == "vendor=opaque,x=1" for e in icare)


@pytest.mark.parametrize("traceparent", [
    "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "é" * 600])
def test_malformed_traceparent_is_replaced_never_refused(journal_stack, factory, traceparent):
    with api_client(journal_stack) as api:
        response = api.post("/api/v1/handoffs", json=factory.handoff(),
                            headers={"traceparent": traceparent.encode(),
                                     "tracestate": "vendor=kept-only-with-a-valid-parent"})
    assert response.status_code == 201, response.text
    [entry] = journal(journal_stack, "centralisateur", bdc=response.json()["bdc_number"])
    assert TRACE_ID.fullmatch(entry["trace_id"]) and entry["trace_id"] != "4bf92f3577b34da6a3ce929d0e0e4736"
    assert entry["trace_id"] != "0" * 32


def test_a_request_without_traceparent_starts_a_trace(journal_stack, factory):
    with api_client(journal_stack) as api:
        first = api.post("/api/v1/handoffs", json=factory.handoff()).json()["bdc_number"]
        second = api.post("/api/v1/handoffs", json=factory.handoff()).json()["bdc_number"]
    [one] = journal(journal_stack, "centralisateur", bdc=first)
    [two] = journal(journal_stack, "centralisateur", bdc=second)
    assert TRACE_ID.fullmatch(one["trace_id"]) and one["trace_id"] != two["trace_id"]
