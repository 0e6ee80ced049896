"""Property-based fuzz of every JSON API of every app, over HTTP: any body, any value in any field,
deep nesting, binary — never a 5xx, and a 4xx always carries French ``errors``."""
from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from common.keys import DEMO_ICARE_SERVICE_KEY, demo_dms_keys
from fixtures import reference
from fixtures.factories import Factory
from fixtures.icare_factories import icare_sale
from tests.fuzz import HOSTILE_TEXT, has_french_errors, json_values, mutated, paths

pytestmark = [pytest.mark.centralisateur, pytest.mark.xdist_group("hostile_fuzz")]

JSON = json_values(HOSTILE_TEXT, biggest=10**30, leaves=8, text_size=30)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

DMS_KEY = {"Authorization": f"Bearer {demo_dms_keys()['tec3h']}"}  # the hostile stack runs in demo mode
ICARE_KEY = {"Authorization": f"Bearer {DEMO_ICARE_SERVICE_KEY}"}


def _samples() -> dict[str, tuple[str, str, str, dict, dict]]:
    """name → (app, method, path, headers, a valid body) for every JSON API that takes a body."""
    factory = Factory(13)
    dealer = reference.demo_dealer("953617Z")
    npo, contract = icare_sale(factory, dealer)
    vehicle = factory.vehicle()
    policy = {"dms": "pvo2", "dms_order_ref": "FUZZ-1", "rrdi": dealer["rrdi"],
              "customer": {"civility": "M", "last_name": "Martin"},
              "vehicle": {k: vehicle[k] for k in ("plate", "vin", "brand", "mileage_km")},
              "label": "SPOTICAR", "product": "SPOTICAR PREMIUM", "duration_months": 12,
              "start_date": "2026-01-15"}
    state = {"bdc_number": "SP953617Z103833701", "status": "declared", "contract_number": "123",
             "dms_order_ref": "1", "declared_at": "2026-01-15T10:00:00Z", "message": None}
    return {
        "handoff": ("centralisateur", "POST", "/api/v1/handoffs", DMS_KEY, factory.handoff()),
        "certification": ("centralisateur", "POST", "/certification/sessions", {},
                          {"dms": "tec3h", "wait_seconds": 30}),
        "npo": ("icare", "POST", "/api/v1/npo", ICARE_KEY, npo),
        "contract": ("icare", "POST", "/api/v1/contracts", ICARE_KEY, contract),
        "psa_policy": ("icare", "POST", "/api/v1/psa-insurance/policies", ICARE_KEY, policy),
        **{f"callback_{dms}": (dms, "POST", "/api/spoticar/callback", {}, state)
           for dms in ("tec3h", "pvo2", "bee2link", "neovo")},
    }


SAMPLES = _samples()


def _send(stack, http: httpx.Client, name: str, body: bytes, content_type: str = "application/json"
          ) -> httpx.Response:
    app, method, path, headers, _ = SAMPLES[name]
    return http.request(method, stack.url(app) + path, content=body, headers={**headers, "Content-Type": content_type})


def _check(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400 and response.headers.get("Content-Type", "").startswith("application/json"):
        assert has_french_errors(response.json()), response.text


MUTATIONS = st.sampled_from(sorted(SAMPLES)).flatmap(
    lambda name: st.tuples(st.just(name), st.sampled_from([p for p in paths(SAMPLES[name][4]) if p]), JSON, st.booleans()))


@FUZZ
@given(case=MUTATIONS)
def test_any_value_in_any_field_of_any_api(hostile_stack, hostile_http, case):
    name, path, value, delete = case
    body = mutated(SAMPLES[name][4], path, value, delete)
    _check(_send(hostile_stack, hostile_http, name, json.dumps(body).encode()))


@FUZZ
@given(name=st.sampled_from(sorted(SAMPLES)), body=JSON)
def test_any_json_body_on_any_api(hostile_stack, hostile_http, name, body):
    _check(_send(hostile_stack, hostile_http, name, json.dumps(body).encode()))


@FUZZ
@given(name=st.sampled_from(sorted(SAMPLES)), raw=st.binary(max_size=300),
       content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded",
                                     "multipart/form-data; boundary=x"]))
def test_any_bytes_on_any_api(hostile_stack, hostile_http, name, raw, content_type):
    _check(_send(hostile_stack, hostile_http, name, raw, content_type))


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deep_json_on_any_api_is_a_400(hostile_stack, hostile_http, name, depth):
    response = _send(hostile_stack, hostile_http, name, b"[" * depth + b"]" * depth)
    assert response.status_code == 400, response.text[:300]


@FUZZ
@given(segment=st.sampled_from(HOSTILE_TEXT[:12]) | st.text(min_size=1, max_size=30),
       query=st.dictionaries(st.sampled_from(["plate", "bdc_number", "page", "limit"]),
                             st.sampled_from(HOSTILE_TEXT), max_size=2))
def test_api_lookups_with_any_identifier(hostile_stack, hostile_http, segment, query):
    segment = quote(segment, safe="")
    for app, path, headers in (("centralisateur", f"/api/v1/declarations/{segment}", DMS_KEY),
                               ("icare", f"/api/v1/contracts/{segment}", ICARE_KEY),
                               ("icare", "/api/v1/contracts", ICARE_KEY),
                               ("icare", f"/api/v1/psa-insurance/policies/{segment}", ICARE_KEY),
                               ("icare", "/api/v1/psa-insurance/policies", ICARE_KEY),
                               ("centralisateur", f"/certification/sessions/{segment}", {})):
        _check(hostile_http.get(hostile_stack.url(app) + path, params=query, headers=headers))


@FUZZ
@given(body=JSON | st.fixed_dictionaries({}, optional={
    "latency_ms": JSON, "error_status": JSON, "drop_connection": JSON, "count": JSON}))
def test_icare_fault_switch_with_any_body(hostile_stack, hostile_http, body):
    url = hostile_stack.url("icare") + "/admin/faults"
    try:
        response = hostile_http.put(url, content=json.dumps(body), headers={"Content-Type": "application/json"})
        _check(response)
    finally:
        hostile_http.delete(url)
