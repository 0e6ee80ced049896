"""callback_url: internal targets, other schemes and over-long URLs are refused on the API (French
422) and again at call time (common.egress)."""
from __future__ import annotations

import socket

import pytest

from common.egress import UrlRefused, check_url
from tests.centralisateur.support import api_client
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur


@pytest.mark.parametrize("url,words", [
    ("http://169.254.169.254/latest/meta-data/", "adresse interne"),
    ("http://10.0.0.1/admin", "adresse interne"),
    ("http://localhost:22/", "adresse interne"),
    ("http://127.0.0.1:1/", "adresse interne"),
    ("http://[::1]:8000/", "adresse interne"),
    ("http://[::ffff:127.0.0.1]/", "adresse interne"),
    ("http://0.0.0.0:8000/", "adresse interne"),
    ("http://192.168.1.10/", "adresse interne"),
    ("http://user:pass@example.com/", "identifiant"),
    ("http://example.com/" + "a" * 3000, "500 caractères"),
])
def test_api_refuses_internal_or_malformed_callback_urls(stack, factory, url, words):
    with api_client(stack) as api:
        response = api.post("/api/v1/handoffs", json=factory.handoff(callback_url=url))
    assert response.status_code == 422
    errors = [e for e in response.json()["errors"] if e["field"] == "callback_url"]
    assert errors and words in errors[0]["message"]


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://example.com/"])
def test_api_refuses_other_schemes(stack, factory, url):
    with api_client(stack) as api:
        response = api.post("/api/v1/handoffs", json=factory.handoff(callback_url=url))
    assert response.status_code == 422
    assert any(e["field"] == "callback_url" for e in response.json()["errors"])


def test_in_demo_mode_an_internal_callback_url_says_how_to_allow_ones_own(stack, factory):
    """A vendor trying its own DMS on a demo stack has no operator to ask: the refusal says how to allow
    its origin (a deployment file's callback_origins), on the API as when opening a certification session."""
    with api_client(stack) as api:
        response = api.post("/api/v1/handoffs", json=factory.handoff(callback_url="http://127.0.0.1:9/cb"))
        opened = api.post("/certification/sessions", json={"dms": "tec3h", "callback_url": "http://127.0.0.1:9/cb"})
    for answer in (response, opened):
        assert answer.status_code == 422
        message = next(e["message"] for e in answer.json()["errors"] if e["field"] == "callback_url")
        assert message.startswith("Adresse de rappel refusée : 127.0.0.1 est une adresse interne.")
        assert message.endswith("En mode démo, seules les adresses des simulateurs lancés avec lui sont autorisées : "
                                "pour brancher votre propre DMS (ou le certifier), démarrez le centralisateur avec un "
                                "fichier de déploiement (spoticar-harness up --config spoticar.toml) où cette origine "
                                "figure dans callback_origins (spoticar-harness keys add --callback-origin).")


def test_the_dms_simulators_own_origin_is_allowed_in_demo_mode(stack, factory):
    with api_client(stack) as api:
        response = api.post("/api/v1/handoffs", json=factory.handoff(
            callback_url=stack.url("tec3h") + "/api/spoticar/callback"))
    assert response.status_code in (200, 201)


def test_configured_origin_is_allowed_and_nothing_else_on_that_host():
    allowed = ["http://10.1.2.3:8080"]
    assert check_url("http://10.1.2.3:8080/cb", allowed) == "http://10.1.2.3:8080/cb"
    with pytest.raises(UrlRefused):
        check_url("http://10.1.2.3:8081/cb", allowed)


def test_a_name_resolving_to_an_internal_address_is_refused_at_call_time(monkeypatch):
    """DNS may change between the hand-off and the callback: the call-time check resolves again."""
    public = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80))]
    internal = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", 80))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: public)
    assert check_url("http://dms.example.com/cb")
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: internal)
    with pytest.raises(UrlRefused, match="adresse interne"):
        check_url("http://dms.example.com/cb")


def test_a_name_rebound_between_the_check_and_the_connect_is_refused_by_the_connection(monkeypatch):
    """DNS rebinding: the name is public when checked and internal a moment later, when the socket
    opens. The guarded transport checks the address it connects to, so nothing reaches the server."""
    import httpx
    from flask import Flask

    from common.egress import guarded_transport
    from common.serve import AppServer
    hits = []
    target = Flask("internal")
    target.add_url_rule("/cb", "cb", lambda: hits.append(1) or ("", 204), methods=["POST"])
    server = AppServer.bind().mount(target).start()
    port = int(server.url.rsplit(":", 1)[1])
    answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))],
                    [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]])
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: next(answers))
    url = f"http://dms.example.com:{port}/cb"
    try:
        assert check_url(url) == url
        with httpx.Client(verify=tls_context(), transport=guarded_transport(), timeout=5) as http, \
                pytest.raises(UrlRefused, match="adresse interne"):
            http.post(url, content=b"{}")
    finally:
        server.stop()
    assert hits == []


def test_the_guarded_transport_reaches_an_allowed_private_origin():
    import httpx
    from flask import Flask

    from common.egress import guarded_transport
    from common.serve import AppServer
    target = Flask("dms")
    target.add_url_rule("/cb", "cb", lambda: ("", 204), methods=["POST"])
    server = AppServer.bind().mount(target).start()
    try:
        with httpx.Client(verify=tls_context(), transport=guarded_transport([server.url]), timeout=5) as http:
            assert http.post(server.url + "/cb", content=b"{}").status_code == 204
        with httpx.Client(verify=tls_context(), transport=guarded_transport(), timeout=5) as http, pytest.raises(UrlRefused):
            http.post(server.url + "/cb", content=b"{}")
    finally:
        server.stop()


def test_certification_session_refuses_an_internal_callback_url(stack):
    import httpx
    response = httpx.post(stack.url("centralisateur") + "/certification/sessions", timeout=20,
                          json={"dms": "tec3h", "callback_url": "http://169.254.169.254/latest/"})
    assert response.status_code == 422
    assert any(e["field"] == "callback_url" and "adresse interne" in e["message"]
               for e in response.json()["errors"])
