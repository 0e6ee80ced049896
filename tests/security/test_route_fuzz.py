"""Every route of every app, read from its Flask ``url_map`` (not only those a link leads to): each
method it accepts and one it does not, hostile path segments, hostile query strings, and for the
methods with a body the wrong bodies an outside campaign sends (JSON where a form is expected and the
reverse, arrays, strings, invalid UTF-8, NUL, binary, a multipart without boundary, repeated fields),
logged in and with a valid CSRF token so the view itself reads them. No answer may be a 5xx."""
from __future__ import annotations

import json
import re
import tempfile

import httpx
import pytest

from fixtures import reference
from fixtures.factories import Factory
from fixtures.icare_factories import icare_sale
from harness.apps import available_apps
from spoticar_handoff.tls import tls_context
from tests.security.test_crawl import FIRST_HALF, _log_in

pytestmark = pytest.mark.centralisateur

SEGMENTS = ["%00", "%ff%fe", "..%2f..%2fetc%2fpasswd", "%3Cscript%3E", "٣", "99999999999999999999", "%E2%80%AE"]
# the query parameters the apps read (request.args, common.parsing's arg_*, search forms), each given
# hostile values in turn (a NUL stops every request at once: test_content_types has it)
PARAMETERS = ("afficher annee_min bdc client clients col commercial contrat depose energie etape etat filtre "
              "km_max limit livreur marque mec modele next origine page par_page prix_max q recherche rrdi "
              "scenario service since suivant to trace tri v vehicle_id vehicule type numero du au "
              "immatriculation vin nom date document").split()
HOSTILE_VALUES = ["%ff%fe", "A" * 3000, "-1", "99999999999999999999", "٣", "9999-99-99", "%C2%B2", "/%5C/evil.example",
                  "%3Cscript%3Ealert(1)%3C/script%3E", "1e400"]
QUERIES = ["?" + "&".join(f"{name}={HOSTILE_VALUES[(i + shift) % len(HOSTILE_VALUES)]}&{name}=2"
                          for i, name in enumerate(PARAMETERS)) for shift in (0, 3, 7)]
TYPED = ("seed", "rrdi", "stage", "email", "password", "cofor", "dms", "origin", "name", "code_t",
         "convention_email", "login", "customer", "reference", "plate", "vin", "sites", "state", "brand",
         "vehicle", "price_ttc", "asl_tiers", "last_name")
WRONG = ([1], "x", {}, 5)
SKIP = re.compile(r"/deconnexion|^/static/")


def _bodies(token: str) -> list[dict]:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    as_json = {"Content-Type": "application/json", "X-CSRFToken": token}
    names = ("email", "password", "rrdi", "page", "recherche", "declaration", "confirmation", "nom", "code")
    return [
        {"content": f"csrf_token={token}&a=%00&b=%ff%fe&c={'x' * 20000}".encode(), "headers": form},
        {"content": b"csrf_token=" + token.encode() + b"&email=\xff\xfe&nom=\xc3\x28", "headers": form},
        {"content": (f"csrf_token={token}" + "".join(f"&{n}=1&{n}=%00" for n in names)).encode(), "headers": form},
        {"content": b"[1, 2]", "headers": as_json},
        {"content": b'"texte"', "headers": as_json},
        {"content": b'{"a": "\\ud800", "email": [1], "vehicle": 3}', "headers": as_json},
        # every field a route reads, of the wrong type (a test route's seed, rrdi, stage, customer…)
        *({"content": json.dumps(dict(zip(TYPED, (WRONG[(i + shift) % 4] for i in range(len(TYPED)))))).encode(),
           "headers": as_json} for shift in (0, 1)),
        {"content": bytes(range(256)), "headers": {"Content-Type": "application/octet-stream", "X-CSRFToken": token}},
        {"content": b"abc", "headers": {"Content-Type": "multipart/form-data", "X-CSRFToken": token}},
    ]


def _routes(name: str) -> list[tuple[str, list[str], list[str]]]:
    """(rule, its arguments, its methods) of app ``name``, from an instance built only to read its
    ``url_map`` (its own empty data directory; the stack's apps are reached over HTTP only)."""
    spec = next(s for s in available_apps() if s.name == name)
    with tempfile.TemporaryDirectory() as data_dir:
        app = spec.load().create_app({"DATA_DIR": data_dir, "DEMO_MODE": True, "TEST_ROUTES": True})
        return [(rule.rule, list(rule.arguments), sorted(rule.methods - {"HEAD", "OPTIONS"}))
                for rule in app.url_map.iter_rules() if not SKIP.search(rule.rule)]


def _known(stack, name: str) -> tuple[dict, dict]:
    """Ids of records the signed-in crawler may open (its dealer's declaration, a certification session
    and its key, an Icare contract), so the fuzz reaches those views and not only their 404; and the
    headers to send with them."""
    factory, base = Factory(23), stack.url(name)
    if name == "centralisateur":
        receipt = httpx.post(base + "/api/v1/handoffs", json=factory.handoff(), timeout=30,
                             headers={"Authorization": f"Bearer {stack.credentials.dms_key('tec3h')}"}).json()
        opened = httpx.post(base + "/certification/sessions", json={"dms": "tec3h"}, timeout=30).json()
        return ({"bdc_number": receipt["bdc_number"], "session_id": opened["id"]},
                {"Authorization": f"Bearer {opened['key']}"})
    if name == "icare":
        npo, contract = icare_sale(factory, reference.demo_dealer("953617Z"))
        headers = stack.credentials.icare_headers()
        httpx.post(base + "/api/v1/npo", json=npo, headers=headers, timeout=30)
        created = httpx.post(base + "/api/v1/contracts", json=contract, headers=headers, timeout=30).json()
        return {"number": created["contract_number"]}, {}
    return {}, {}


def _path(rule: str, values: dict) -> str:
    for name, value in values.items():
        rule = re.sub(r"<(?:[^:<>]+:)?" + name + ">", value, rule)
    return rule


@pytest.mark.parametrize("name", [
    pytest.param(spec.name, marks=pytest.mark.xdist_group(f"hostile_crawl_{1 if spec.name in FIRST_HALF else 2}"))
    for spec in available_apps()])
def test_no_route_of_the_url_map_gets_a_5xx(hostile_stack, name):
    failures = []
    with httpx.Client(verify=tls_context(), base_url=hostile_stack.url(name), timeout=30,
                      follow_redirects=True) as client:
        _log_in(hostile_stack, name, client)
        home = client.get("/")
        client.follow_redirects = False  # each answer as sent: a 5xx behind a redirect is one too
        found = re.search(r'name="csrf[-_]token" (?:value|content)="([^"]+)"', home.text)
        token = found.group(1) if found else ""

        sent = []

        def send(method: str, path: str, **kwargs) -> None:
            sent.append(path)
            try:
                response = client.request(method, path, **kwargs)
            except httpx.HTTPError as exc:  # a dropped connection is as bad as a 500
                failures.append(f"{method} {path[:100]}: {type(exc).__name__}")
                return
            if response.status_code >= 500 or b"Traceback" in response.content:
                failures.append(f"{method} {path[:100]} {kwargs.get('content', b'')[:60]!r} → {response.status_code}")

        known, headers = _known(hostile_stack, name)
        client.headers.update(headers)
        for rule, arguments, methods in _routes(name):
            values = {argument: known.get(argument, "1") for argument in arguments}
            plain = _path(rule, values)
            paths = [plain] + [_path(rule, {**values, argument: segment})
                               for argument in arguments for segment in SEGMENTS]
            reading = "GET" if "GET" in methods else methods[0]
            for path in paths[1:]:
                send(reading, path)
            for query in QUERIES:
                send(reading, plain + query)
            send("PATCH", plain)  # a method no route of ours accepts: 405
            for method in methods:
                if method in ("POST", "PUT", "DELETE"):
                    for body in _bodies(token):
                        send(method, plain, **body)
    assert len(sent) > 100, sent
    assert failures == [], "\n".join(failures[:30])
