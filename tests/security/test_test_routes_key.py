"""Outside demo mode (a certification lab vendors reach: ``up --config … --test-routes``), the test
routes, Icare's outage switches and its simulated mailbox answer only the stack's test-routes key (``X-Spoticar-Test-Key``):
anyone else could read the raw store (the sessions' keys), let any private address be called back
(the SSRF guard's allow-list) or break Icare for every session. A refused call changes nothing; the
certification's own calls to Icare carry the key, so a session still gets its dealer under convention."""
from __future__ import annotations

import httpx
import pytest

from common.testing import KEY_HEADER, KEY_MISSING, KEY_NOT_CONFIGURED
from harness.cli import main
from harness.runner import Stack
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur
KEY = "cle-des-routes-de-test-0123456789abcdef"
ORIGIN = "http://127.0.0.1:18799"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A centralisateur and an Icare outside demo mode, with test routes and their key."""
    tmp = tmp_path_factory.mktemp("lab")
    config = tmp / "spoticar.toml"
    config.write_text('icare_service_key = "icare-service-kkkkkkkkkkkkkkkkkkkk"\n')
    assert main(["keys", "add", "--config", str(config), "--dms", "tec3h"]) == 0
    shared = {"CONFIG_FILE": str(config), "TEST_ROUTES": True, "TEST_ROUTES_KEY": KEY}
    with Stack(tmp / "data", names=["centralisateur", "icare"], demo=False,
               extra_config={"centralisateur": shared, "icare": shared}) as stack:
        stack.wait_ready()
        yield stack


def _call(stack, app: str, method: str, path: str, key: str | None = None, **kwargs) -> httpx.Response:
    headers = {"Accept": "application/json", **({KEY_HEADER: key} if key is not None else {})}
    return httpx.request(method, stack.url(app) + path, headers=headers, timeout=20, verify=tls_context(), **kwargs)


REFUSED = [("centralisateur", "GET", "/__test__/store", None),
           ("centralisateur", "POST", "/__test__/callback-origins", {"dms": "tec3h", "origin": ORIGIN}),
           ("centralisateur", "POST", "/__test__/jobs/run", None),
           ("centralisateur", "GET", "/__test__/journal/raw", None),
           ("icare", "POST", "/__test__/dealers", {}),
           ("icare", "PUT", "/admin/faults", {"error_status": 503, "count": 5}),
           ("icare", "GET", "/admin/faults", None),
           ("icare", "GET", "/outbox/mails.json", None)]   # its mails carry password reset links


@pytest.mark.parametrize("key", [None, "", "une-autre-cle", KEY.upper()], ids=["sans", "vide", "autre", "casse"])
@pytest.mark.parametrize("app, method, path, body", REFUSED, ids=[f"{r[0]}-{r[1]}{r[2]}" for r in REFUSED])
def test_test_routes_refuse_whoever_lacks_the_key(lab, app, method, path, body, key):
    response = _call(lab, app, method, path, key, json=body)
    assert response.status_code == 401
    assert response.json()["errors"] == [{"field": None, "message": KEY_MISSING}]


def test_a_refused_call_changes_nothing_and_the_key_opens_them(lab):
    assert _call(lab, "centralisateur", "POST", "/__test__/callback-origins",
                 json={"dms": "tec3h", "origin": ORIGIN}).status_code == 401
    assert _call(lab, "icare", "PUT", "/admin/faults", json={"error_status": 503}).status_code == 401
    assert _call(lab, "icare", "GET", "/admin/faults", KEY).json()["active"] is False   # no outage set
    allowed = _call(lab, "centralisateur", "POST", "/__test__/callback-origins", KEY,
                    json={"dms": "tec3h", "origin": ORIGIN})
    assert allowed.status_code == 201 and ORIGIN in allowed.json()["origins"]
    assert _call(lab, "centralisateur", "GET", "/__test__/store", KEY).status_code == 200


def test_a_session_still_puts_its_dealer_under_convention_at_icare(lab):
    """The certification calls Icare's test routes itself, with the stack's key."""
    opened = httpx.post(lab.url("centralisateur") + "/certification/sessions", json={"dms": "tec3h"},
                        headers={"Accept": "application/json"}, timeout=30, verify=tls_context())
    assert opened.status_code == 201, opened.text
    page = httpx.get(opened.json()["url"], headers={"Authorization": f"Bearer {opened.json()['key']}",
                                                     "Accept": "application/json"}, timeout=20, verify=tls_context())
    assert page.json()["actions"]["icare_dealer"] == "ok"


def test_without_a_configured_key_the_test_routes_stay_closed(tmp_path, monkeypatch):
    monkeypatch.delenv("SPOTICAR_TEST_ROUTES_KEY", raising=False)
    with Stack(tmp_path, names=["icare"], demo=False, extra_config={"icare": {
            "TEST_ROUTES": True, "ICARE_SERVICE_KEY": "icare-service-kkkkkkkkkkkkkkkkkkkk"}}) as stack:
        stack.wait_ready()
        for key in (None, "", "n-importe-quoi"):
            response = _call(stack, "icare", "POST", "/__test__/dealers", key, json={})
            assert response.status_code == 403
            assert response.json()["errors"] == [{"field": None, "message": KEY_NOT_CONFIGURED}]


def test_the_journal_of_a_lab_opens_to_its_test_key_not_to_the_routes_presence(lab):
    """``/__admin/journal`` outside demo mode: the admin key, or on a stack with test routes their key."""
    for app in ("centralisateur", "icare"):
        assert _call(lab, app, "GET", "/__admin/journal").status_code == 401
        assert _call(lab, app, "GET", "/__admin/journal", "une-autre-cle").status_code == 401
        assert "entries" in _call(lab, app, "GET", "/__admin/journal", KEY).json()
