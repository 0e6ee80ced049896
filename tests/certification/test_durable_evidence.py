"""A finished session's report stays verifiable once the journal has forgotten its exchanges: the
centralisateur keeps them in its certification store as the session is judged (issue 12). The journal
here keeps only 20 entries, so the session's own traffic already pushes its first exchanges out; then
the same centralisateur is started again with its journal switched off."""
from __future__ import annotations

import json

import httpx
import pytest

from harness.cli import main
from certification.drivers.browser import Browser
from tests.certification.conftest import certification_stack, dealer_declares, open_session, verify_then_forge
from examples.vendor_dms import OutsideDms
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur
RETAINED = 20


class ReadBackByHand(OutsideDms):
    """The same DMS, its order read back by the tester in the session page's form (resumed with the key)."""

    def read_back(self) -> None:
        order = self.orders[self.last_bdc]
        browser = Browser(self.base())
        try:
            assert browser.submit(browser.get("/certification"), {"key": self.key}, action="/reprendre"
                                  ).status_code == 302
            page = browser.get(self.session_url.removeprefix(self.base()))
            assert "La session a renvoyé ses rappels : relevez la commande dans le DMS." in page.text
            sent = browser.submit(page, {"contract_number": order["contract_number"], "status": order["status"]},
                                  action="/readback")
            assert sent.status_code == 302, sent.text
        finally:
            browser.close()


def _journal_ids(url: str) -> set[str]:
    answer = httpx.get(url + "/__admin/journal", params={"limit": 5000}, timeout=60)
    assert answer.status_code == 200, answer.text
    return {str(e["id"]) for e in answer.json()["entries"]}


def test_a_report_verifies_after_the_journal_pruned_its_exchanges_or_is_off(callback_server, tmp_path, capsys):
    data = tmp_path / "cds"
    with certification_stack(data, callback_server, JOURNAL_MAX_ENTRIES=RETAINED) as short_memory_cds:
        url = short_memory_cds.url("centralisateur")
        session = open_session(short_memory_cds)
        dms = ReadBackByHand(session["url"], session["key"], callback_server)
        try:
            final = dms.run(dealer_declares)
        finally:
            dms.close()
        assert {s["status"] for s in final["scenarios"]} == {"passed"}, json.dumps(final["scenarios"],
                                                                                   ensure_ascii=False, indent=1)
        out = tmp_path / "rapport"
        assert main(["certify", "report", session["id"], "--out", str(out), "--key", session["key"],
                     "--url", url]) == 0
        cited = {e["id"] for s in json.loads((out / "report.json").read_text())["scenarios"] for e in s["evidence"]}
        assert len(cited) > RETAINED      # more than the journal ever held at once: the store kept them all

        # other dealers' traffic: the journal drops every exchange of the session
        with httpx.Client(verify=tls_context(), timeout=30) as http:
            for n in range(RETAINED + 10):
                assert http.get(f"{url}/api/v1/declarations/SP{n:016d}").status_code == 401
        assert not cited & _journal_ids(url)

        verify_then_forge(url, out, capsys)
        # a report written now still rests on the same exchanges
        again = tmp_path / "encore"
        assert main(["certify", "report", session["id"], "--out", str(again), "--key", session["key"],
                     "--url", url]) == 0
        assert json.loads((again / "report.json").read_text())["fingerprint"] == \
            json.loads((out / "report.json").read_text())["fingerprint"]

    # the same centralisateur started again with its journal switched off
    with certification_stack(data, callback_server, JOURNAL_ENABLED=False) as no_journal:
        url = no_journal.url("centralisateur")
        verify_then_forge(url, out, capsys)
        assert not cited & _journal_ids(url)   # the journal holds nothing of the session
