"""Sessions are isolated from each other and from the dealers; whatever a vendor sends gets a French
4xx or a failed check with evidence, never a 500."""
from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.certification.conftest import dealer_declares, judged, open_session
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur


def _json(session: dict, key: str | None = None, path: str = "") -> httpx.Response:
    return httpx.get(session["url"] + path, timeout=20, headers={
        "Accept": "application/json", **({"Authorization": f"Bearer {key}"} if key else {})})


def _sale(session: dict, scenario_id: str, ref: str = "77") -> dict:
    sale = next(s for s in session["scenarios"] if s["id"] == scenario_id)["sale"]
    return {**sale, "dms_order_ref": ref}


def test_one_vendor_cannot_read_or_act_on_another_session(cds, factory):
    mine, theirs = open_session(cds), open_session(cds, dms="pvo2")
    assert mine["dealer"]["rrdi"] != theirs["dealer"]["rrdi"] and mine["key"] != theirs["key"]
    for path in ("", "/evidence"):
        answer = _json(theirs, mine["key"], path)
        assert answer.status_code == 403 and "n'ouvre pas cette session" in answer.json()["errors"][0]["message"]
        assert _json(theirs, None, path).status_code == 401
    skip = httpx.post(theirs["url"] + "/skip", json={"reason": "pas le mien"}, timeout=20,
                      headers={"Authorization": f"Bearer {mine['key']}"})
    assert skip.status_code == 403
    api = httpx.Client(verify=tls_context(), base_url=cds.url("centralisateur"), timeout=20)
    # a session key declares only for its own certification dealer, and as its own DMS only
    other_dealer = {**_sale(mine, "handoff-complete"), "dealer": {"rrdi": theirs["dealer"]["rrdi"]}}
    answer = api.post("/api/v1/handoffs", json=other_dealer, headers={"Authorization": f"Bearer {mine['key']}"})
    assert answer.status_code == 403
    demo_dealer = {**_sale(mine, "handoff-complete"), "dealer": {"rrdi": "953617Z"}}
    answer = api.post("/api/v1/handoffs", json=demo_dealer, headers={"Authorization": f"Bearer {mine['key']}"})
    assert answer.status_code == 403 and "certification" in answer.json()["errors"][0]["message"]
    # a dealer's DMS key never reaches a certification dealer
    into_session = {**_sale(theirs, "handoff-complete"), "source_dms": "pvo2"}
    answer = api.post("/api/v1/handoffs", json=into_session, headers={"Authorization": "Bearer demo-pvo2"})
    assert answer.status_code == 403 and "réservé à une session de certification" in answer.text
    sent = api.post("/api/v1/handoffs", json=_sale(mine, "handoff-complete"),
                    headers={"Authorization": f"Bearer {mine['key']}"})
    assert sent.status_code == 201
    bdc = sent.json()["bdc_number"]
    assert api.get(f"/api/v1/declarations/{bdc}", headers={"Authorization": "Bearer demo-tec3h"}).status_code == 404
    assert api.get(f"/api/v1/declarations/{bdc}",
                   headers={"Authorization": f"Bearer {theirs['key']}"}).status_code == 404
    # nothing of it reached the other session, nor the demo dealer's declarations
    theirs_seen = _json(theirs, theirs["key"], "/evidence").json()["entries"]
    assert [e["path"] for e in theirs_seen] == [f"/api/v1/declarations/{bdc}"]   # only their own request
    demo = httpx.get(cds.url("centralisateur") + f"/__test__/declarations/{bdc}", timeout=20).json()
    assert demo["payload"]["dealer"]["rrdi"] == mine["dealer"]["rrdi"]


def test_bad_input_is_a_french_4xx_or_a_failed_check_never_a_500(cds):
    session = open_session(cds)
    headers = {"Authorization": f"Bearer {session['key']}"}
    api = httpx.Client(verify=tls_context(), base_url=cds.url("centralisateur"), timeout=20, headers=headers)
    broken = api.post("/api/v1/handoffs", content=b'{"source_dms": "tec3h",',
                      headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and "JSON valide" in broken.json()["errors"][0]["message"]
    # a sale of another scenario while the first one waits: a failed check that shows the mismatch
    wrong = {**_sale(session, "label-ds-certified"), "vehicle": {**_sale(session, "label-ds-certified")["vehicle"],
                                                                 "vin": "VF3LBYHZRKS999999"}}
    assert api.post("/api/v1/handoffs", json=wrong).status_code == 201
    first = judged(session, "handoff-complete")["scenarios"][0]
    assert first["status"] == "failed"
    assert any(d["path"] == "vehicle.vin" for f in first["findings"] for d in f["diff"])
    # a flood: 150 requests from 10 connections at once (one after the other, a loaded machine may
    # serve them slower than the bucket refills)
    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(lambda _: api.get("/api/v1/declarations/SPX0000000000").status_code, range(150)))
    assert 500 not in statuses and 429 in statuses
    flooded = next(api.get("/api/v1/declarations/SPX0000000000") for _ in range(5))
    assert "Trop de requêtes" in flooded.text or flooded.status_code == 404
    # the limit and its 429 are in the OpenAPI document, for the hand-off and the status read alike
    document = httpx.get(cds.url("centralisateur") + "/api/v1/openapi.json", verify=tls_context(), timeout=20).json()
    for path, method in (("/api/v1/handoffs", "post"), ("/api/v1/declarations/{bdc_number}", "get")):
        answer = document["paths"][path][method]["responses"]["429"]
        assert "plus de 20 requêtes par seconde" in answer["description"] and "Retry-After" in answer["headers"]
        assert "Trop de requêtes" in answer["content"]["application/json"]["example"]["errors"][0]["message"]
    other = open_session(cds)
    assert _json(other, other["key"]).status_code == 200       # another session is untouched
    for body, status in (({"dms": "inconnu"}, 422), ({"dms": "tec3h", "callback_url": "ftp://x"}, 422),
                         ({"dms": "tec3h", "extra": 1}, 422)):
        answer = httpx.post(cds.url("centralisateur") + "/certification/sessions", json=body, timeout=20)
        assert answer.status_code == status and answer.json()["errors"][0]["message"]
    assert httpx.post(cds.url("centralisateur") + "/certification/sessions", content=b"[",
                      headers={"Content-Type": "application/json"}).status_code == 400
    assert httpx.get(cds.url("centralisateur") + "/certification/sessions/cs_inconnue",
                     headers={"Accept": "application/json"}).json()["errors"][0]["message"].startswith("Session")


def test_the_certification_page_waits_for_the_dms_then_shows_the_verdict(cds):
    browser = httpx.Client(verify=tls_context(), base_url=cds.url("centralisateur"), follow_redirects=True, timeout=20)
    page = browser.get("/certification")
    assert "Ouvrir une session de certification" in page.text and "Déclarer Vente" not in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert browser.post("/certification", data={"dms": "neovo"}).status_code == 400  # no CSRF token
    page = browser.post("/certification", data={"csrf_token": token, "dms": "neovo",
                                                "callback_url": "pas une adresse"})
    assert page.status_code == 422 and "URL http(s) valide" in page.text
    page = browser.post("/certification", data={"csrf_token": token, "dms": "neovo"})
    assert "En attente du DMS…" in page.text and "Transmission complète d&#39;une vente standard" in page.text
    key = re.search(r'data-testid="session-key">([^<]+)<', page.text).group(1)
    rrdi = re.search(r"Code RRDI <strong>(\w+)</strong>", page.text).group(1)
    assert "Peugeot 208 AA-000-AA" in page.text and f'"rrdi": "{rrdi}"' in page.text
    session_url = str(page.url)
    state = httpx.get(session_url, headers={"Accept": "application/json", "Authorization": f"Bearer {key}"}).json()
    sale = {**state["scenarios"][0]["sale"], "dms_order_ref": "N1"}
    assert httpx.post(cds.url("centralisateur") + "/api/v1/handoffs", json=sale,
                      headers={"Authorization": f"Bearer {key}"}).status_code == 201
    judged({"url": session_url, "key": key}, "handoff-complete")
    page = browser.get(session_url)
    assert "Réussi" in page.text and "Renvoi de la même commande" in page.text
    assert key not in page.text                                        # the key is shown once only
    skip_token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    page = browser.post(session_url + "/skip", data={"csrf_token": skip_token, "reason": "pas de renvoi dans ce DMS"})
    assert "Ignoré par le testeur : pas de renvoi dans ce DMS" in page.text


def test_no_session_without_the_journal_its_evidence_comes_from(tmp_path):
    from harness.runner import Stack
    with Stack(tmp_path, names=["centralisateur"], extra_config={"centralisateur": {"JOURNAL_ENABLED": False}}) as stack:
        answer = httpx.post(stack.url("centralisateur") + "/certification/sessions", json={"dms": "tec3h"}, timeout=20)
    assert answer.status_code == 422 and "journal des échanges est désactivé" in answer.json()["errors"][0]["message"]


def test_a_readback_is_taken_only_from_the_session_and_after_its_callbacks_sent_again(cds):
    mine, theirs = open_session(cds), open_session(cds, dms="pvo2")

    def readback(session, key, body):
        return httpx.post(session["url"] + "/readback", json=body, timeout=20,
                          headers={"Authorization": f"Bearer {key}"} if key else {})

    assert readback(theirs, mine["key"], {"contract_number": "1"}).status_code == 403
    assert readback(theirs, None, {"contract_number": "1"}).status_code == 401
    early = readback(mine, mine["key"], {"contract_number": "22511015260", "status": "declared"})
    assert early.status_code == 409 and "Aucun rappel renvoyé pour l'instant" in early.json()["errors"][0]["message"]
    for bad in ({"status": "signée"}, {"contract_number": "9" * 41}, {"contract_number": "1", "extra": 1}):
        answer = readback(mine, mine["key"], bad)
        assert answer.status_code == 422 and answer.json()["errors"][0]["message"], bad
    assert "readback" not in _json(mine, mine["key"]).json()["actions"]


def test_a_refused_hand_off_is_shown_while_the_scenario_still_waits(cds):
    """A vendor's first try refused (dates JJ/MM/AAAA: 422) is said at once, on the page and in the
    JSON, not only once the scenario's wait (600 s by default) is over; the corrected sale sent again
    within the wait passes."""
    session = open_session(cds)
    api = httpx.Client(verify=tls_context(), base_url=cds.url("centralisateur"), timeout=20,
                       headers={"Authorization": f"Bearer {session['key']}"})
    sale = _sale(session, "handoff-complete")
    day = "/".join(reversed(sale["sale"]["sale_date"].split("-")))    # JJ/MM/AAAA, not the API's AAAA-MM-JJ
    french_date = {**sale, "sale": {**sale["sale"], "sale_date": day}}
    assert api.post("/api/v1/handoffs", json=french_date).status_code == 422
    state = _json(session, session["key"]).json()
    scenario = next(s for s in state["scenarios"] if s["id"] == "handoff-complete")
    assert scenario["status"] == "waiting" and state["current"] == "handoff-complete"
    said = [f["message"] for f in scenario["findings"] if f["level"] == "fail"]
    assert said and said[0].startswith("Transmission refusée (HTTP 422) : sale.sale_date"), scenario["findings"]
    page = api.get(session["url"], headers={"Accept": "text/html"}).text
    assert "Relevé jusqu'ici (le scénario attend encore" in page
    assert "Transmission refusée (HTTP 422) : sale.sale_date" in page
    assert api.post("/api/v1/handoffs", json=sale).status_code == 201
    assert next(s for s in judged(session, "handoff-complete")["scenarios"]
                if s["id"] == "handoff-complete")["status"] == "passed"


def test_a_sale_without_callback_url_is_told_why_no_callback_comes(cds):
    """A DMS relying on polling alone (no callback_url, and none given to the session) reaches
    callback-acknowledged: while the scenario waits, it is told that nothing can call it back."""
    session = open_session(cds)
    headers = {"Authorization": f"Bearer {session['key']}", "Accept": "application/json"}
    with httpx.Client(verify=tls_context(), timeout=20, headers=headers) as http:
        state = session
        while state["current"] != "callback-acknowledged":
            state = http.post(session["url"] + "/skip", json={"reason": "pas dans ce DMS"}).json()
        sale = {k: v for k, v in _sale(session, "callback-acknowledged").items() if k != "callback_url"}
        assert http.post(cds.url("centralisateur") + "/api/v1/handoffs", json=sale).status_code == 201
        state = http.get(session["url"]).json()
    scenario = next(s for s in state["scenarios"] if s["id"] == "callback-acknowledged")
    assert scenario["status"] == "waiting", scenario
    assert any(f["level"] == "fail" and f["message"].startswith("La vente a été transmise sans callback_url, et la "
                                                                "session n'a pas d'adresse de rappel")
               for f in scenario["findings"]), scenario["findings"]


def test_the_session_answers_its_reader_while_it_sends_callbacks_to_a_slow_dms(cds, callback_server):
    """A DMS answering each callback in 1 s (within the 5 s allowed): the session's eight test callbacks
    take some 8 s, more than a read may wait. They are sent off any request: every read of the session's state answers within a
    few seconds meanwhile (one read sent them all and its client timed out), and the scenario then gets
    its verdict."""
    session = open_session(cds)
    headers = {"Authorization": f"Bearer {session['key']}", "Accept": "application/json"}

    def slow(_headers, _body) -> int:
        time.sleep(1.0)
        return 200

    url = callback_server.attach(slow)
    with httpx.Client(verify=tls_context(), timeout=60, headers=headers) as http:
        state = session
        while state["current"] != "callback-acknowledged":
            state = http.post(session["url"] + "/skip", json={"reason": "pas dans ce DMS"}).json()
        sale = _sale(session, "callback-acknowledged")
        sent = http.post(cds.url("centralisateur") + "/api/v1/handoffs", json={**sale, "callback_url": url})
        dealer_declares(sent.json()["declaration_url"], sale)
        slowest, deadline = 0.0, time.monotonic() + 60
        while time.monotonic() < deadline:
            started = time.monotonic()
            state = http.get(session["url"]).json()
            slowest = max(slowest, time.monotonic() - started)
            if next(s for s in state["scenarios"] if s["id"] == "callback-signature")["status"] != "waiting":
                break
            time.sleep(0.3)
    probes = next(s for s in state["scenarios"] if s["id"] == "callback-signature")
    assert probes["status"] == "failed", probes   # (the slow DMS accepts every callback, forged ones too)
    assert slowest < 5, slowest


def test_a_client_with_the_session_key_gets_json_without_asking(cds):
    """curl, requests or a DMS's HTTP client send ``Accept: */*`` (or nothing): with the session's key
    they get the state as JSON, not the page a browser gets; asking for HTML still gets the page."""
    session = open_session(cds)
    key = {"Authorization": f"Bearer {session['key']}"}
    for accept in ({}, {"Accept": "*/*"}):
        answer = httpx.get(session["url"], headers={**key, **accept}, timeout=20)
        assert answer.headers["Content-Type"].startswith("application/json"), accept
        assert answer.json()["id"] == session["id"]
    wrong = httpx.get(session["url"], headers={"Authorization": "Bearer cs-pas-la-bonne"}, timeout=20)
    assert wrong.status_code == 403 and "n'ouvre pas cette session" in wrong.json()["errors"][0]["message"]
    page = httpx.get(session["url"], headers={**key, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
                     timeout=20)
    assert page.headers["Content-Type"].startswith("text/html") and "Scénario en cours" in page.text


def test_a_vendor_opening_a_session_under_its_product_name_is_told_the_codes(cds):
    """An outside vendor's first try names its own product: the 422 lists the DMS codes a session takes
    (the readback's status likewise), not « Format invalide »."""
    opened = httpx.post(cds.url("centralisateur") + "/certification/sessions", json={"dms": "GaragePro"}, timeout=20)
    assert opened.status_code == 422
    assert opened.json()["errors"] == [{"field": "dms", "message": "Valeur non autorisée ; valeurs possibles : "
                                                                   "'bee2link', 'neovo', 'pvo2', 'tec3h'."}]
    session = open_session(cds, dms=" tec3h ")   # spaces around a code are no other code
    answer = httpx.post(session["url"] + "/readback", json={"status": "déclarée"}, timeout=20,
                        headers={"Authorization": f"Bearer {session['key']}"})
    assert answer.status_code == 422 and "valeurs possibles : 'pending', 'contract_pending', 'declared', " \
        "'refused'" in answer.json()["errors"][0]["message"]
