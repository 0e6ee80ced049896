"""Behind a TLS-terminating reverse proxy (``TRUSTED_PROXIES`` / ``SPOTICAR_TRUSTED_PROXIES``,
``common.proxies``) every connection comes from the proxy: the per-client bounds count the client
the proxy names in ``X-Forwarded-For``, so one abusive client does not lock everyone out, under
waitress (``up``) and gunicorn (``serve``) alike; a forged ``X-Forwarded-For`` from any other peer
changes nothing. Here the proxy is 127.0.0.1 and an untrusted peer 127.0.0.2."""
from __future__ import annotations

import contextlib
import html
import os
import select
import socket
import subprocess
import time

import httpx
import pytest
from flask import request

from common.peer_limits import PER_PEER_CONNECTIONS, PER_PEER_SLOW, REQUEST_DEADLINE, SERVER_MESSAGES, SLOW_AFTER
from common.serve import AppServer
from common.web import CSRF_MESSAGE, make_app
from fixtures import reference
from harness.serving import free_port, serve_command, wait_healthy
from simulators import portail_b2b
from tests.centralisateur.support import CSRF_RE
from tests.security.test_slow_clients import _closed_by_server
from tests.seeded import seeded_app

PROXY, UNTRUSTED = "127.0.0.1", "127.0.0.2"


def _probe(tmp_path, trusted: str | None = PROXY):
    """An app of the harness (``make_app``) telling who it thinks the client is, and which forwarded
    header reached it."""
    app = make_app("probe", {"DATA_DIR": str(tmp_path), "TRUSTED_PROXIES": trusted or ""})
    app.add_url_rule("/qui", "qui", lambda: f"{request.remote_addr}|{request.headers.get('X-Forwarded-Host', '-')}",
                     methods=["GET", "POST"])
    return app


def _get(url: str, source: str, forwarded_for: str | None) -> str:
    headers = {"X-Forwarded-Host": "attacker.example"}
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    with httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=10) as client:
        return client.get(url + "/qui", headers=headers).text


def test_only_a_trusted_proxy_names_the_client(tmp_path):
    with AppServer.bind().mount(_probe(tmp_path)) as server:
        assert _get(server.url, PROXY, "203.0.113.7") == "203.0.113.7|-"
        # the right-most address the proxy did not write itself; what the client wrote before proves nothing
        assert _get(server.url, PROXY, "198.51.100.1, 203.0.113.7") == "203.0.113.7|-"
        assert _get(server.url, PROXY, "203.0.113.7, 127.0.0.1") == "203.0.113.7|-"  # a chain of proxies
        assert _get(server.url, PROXY, "pas une adresse") == "127.0.0.1|-"
        assert _get(server.url, PROXY, None) == "127.0.0.1|-"
        assert _get(server.url, UNTRUSTED, "203.0.113.7") == "127.0.0.2|-"  # forged: ignored
    with AppServer.bind().mount(_probe(tmp_path / "sans", trusted=None)) as server:  # the default
        assert _get(server.url, PROXY, "203.0.113.7") == "127.0.0.1|-"


def test_a_bad_trusted_proxies_setting_is_refused_in_french(tmp_path):
    with pytest.raises(ValueError, match="« 10.0.0.300 » n'est ni une adresse IP ni un réseau"):
        _probe(tmp_path, trusted="10.0.0.5, 10.0.0.300")


@pytest.fixture(params=["waitress", "gunicorn"])
def portal(request, tmp_path, monkeypatch):
    """The Portail B2B (demo data) behind the proxy 127.0.0.1: served in-process by waitress (``up``), or
    by ``serve`` under gunicorn with ``SPOTICAR_TRUSTED_PROXIES`` in its environment."""
    if request.param == "waitress":
        app = seeded_app(portail_b2b, {"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "TRUSTED_PROXIES": PROXY})
        with AppServer.bind().mount(app) as server:
            yield server.url
        app.extensions["harness_stop"]()
        return
    with _portail_under_gunicorn(tmp_path) as (_, url):
        yield url


@contextlib.contextmanager
def _portail_under_gunicorn(tmp_path):
    """(port, URL) of the Portail B2B served by ``serve`` (gunicorn, one worker) trusting ``PROXY``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(serve_command("portail_b2b", f"127.0.0.1:{port}", workers=1, data_dir=tmp_path,
                                             seed=0, demo=True, urls={}),
                               env={**os.environ, "SPOTICAR_TRUSTED_PROXIES": PROXY},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(url, 60, process)
        yield port, url
    finally:
        process.terminate()
        process.wait(timeout=20)


def _login(url: str, source: str, forwarded_for: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=url, timeout=20, headers={"X-Forwarded-For": forwarded_for},
                      transport=httpx.HTTPTransport(local_address=source)) as browser:
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        return browser.post("/connexion", data={"csrf_token": token, "identifiant": "V100003",
                                                "password": password})


def test_login_failures_behind_the_proxy_lock_out_only_their_client(portal):
    password = reference.load("portail_b2b")["demo_password"]
    failures = [_login(portal, PROXY, "203.0.113.10", "Mauvais-1") for _ in range(5)]
    assert [f.status_code for f in failures] == [401] * 4 + [429]
    assert "Accès bloqué" in html.unescape(failures[-1].text)
    # a peer that is no proxy cannot pose as new clients: its forged X-Forwarded-For counts for nothing
    forged = [_login(portal, UNTRUSTED, f"198.51.100.{n}", "Mauvais-1").status_code for n in range(6)]
    assert forged == [401] * 4 + [429, 429]
    # the account's owner, through the same proxy, still signs in
    assert _login(portal, PROXY, "203.0.113.12", password).status_code == 302
    assert _login(portal, PROXY, "203.0.113.10", password).status_code == 429  # the locked client stays so


def test_a_proxys_connections_are_not_capped_as_one_peer(tmp_path):
    with AppServer.bind().mount(_probe(tmp_path)) as server:
        idle = [socket.create_connection((server.host, server.port), timeout=5, source_address=(PROXY, 0))
                for _ in range(PER_PEER_CONNECTIONS + 5)]
        try:  # the proxy holds its users' keep-alive connections: one more still gets its answer
            assert _get(server.url, PROXY, "203.0.113.7") == "203.0.113.7|-"
        finally:
            for sock in idle:
                sock.close()


def test_slow_requests_through_the_proxy_are_bounded_per_client(tmp_path):
    """A body trickling in from one client (through the proxy) is cut past ``PER_PEER_SLOW`` of them;
    another client's slow request, older than all of them, is left alone."""
    def slow(client: str) -> socket.socket:
        sock = socket.create_connection((server.host, server.port), timeout=5, source_address=(PROXY, 0))
        sock.sendall(f"POST /qui HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: {client}\r\n"
                     "Content-Length: 100\r\n\r\nab".encode())
        return sock

    with AppServer.bind().mount(_probe(tmp_path)) as server:
        other = slow("203.0.113.20")
        flood = [slow("203.0.113.21") for _ in range(PER_PEER_SLOW + 5)]
        try:
            deadline = time.monotonic() + SLOW_AFTER + 10
            while time.monotonic() < deadline:
                alive = [s for s in flood if not _closed_by_server(s)]
                if len(alive) <= PER_PEER_SLOW:
                    break
                time.sleep(0.2)
            assert len(alive) <= PER_PEER_SLOW
            assert not _closed_by_server(other)
        finally:
            for sock in [other, *flood]:
                sock.close()


def test_slow_requests_through_the_proxy_are_bounded_per_client_under_gunicorn(tmp_path):
    """gunicorn keeps ``SLOW_REQUESTS_PER_PEER`` (1) slow request per peer and worker: through the proxy
    that peer is the client it names, so one client's second slow request is cut (a French 408) while
    another client's slow request, arriving after, is received and answered."""
    from harness.gunicorn_worker import SLOW_REQUESTS_PER_PEER
    sockets, port = [], None

    def slow(client: str) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(PROXY, 0))
        sock.sendall(f"POST /connexion HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: {client}\r\nConnection: close\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nab".encode())
        sockets.append(sock)
        return sock

    with _portail_under_gunicorn(tmp_path) as (port, _), contextlib.ExitStack() as closing:
        closing.callback(lambda: [sock.close() for sock in sockets])
        flood = [slow("203.0.113.21") for _ in range(SLOW_REQUESTS_PER_PEER + 1)]
        first, _, _ = select.select(flood, [], [], REQUEST_DEADLINE)  # the client's slow request beyond its share
        cut = _answer_of(first[0])
        assert cut.startswith(b"HTTP/1.1 408 ") and SERVER_MESSAGES[408] in cut.decode(), cut[:200]
        other = slow("203.0.113.20")  # the other one still holds its client's share
        other.settimeout(3 * SLOW_AFTER)  # (cut 2–4 s after it began when counted as the proxy's)
        with pytest.raises(TimeoutError):  # slow now, and not cut: its client has no other
            other.recv(1)
        other.settimeout(30)
        other.sendall(b"x" * 98)
        answer = _answer_of(other)
        # received whole: the app's own answer (the form has no CSRF token)
        assert answer.startswith(b"HTTP/1.1 400 ") and CSRF_MESSAGE in html.unescape(answer.decode()), answer[:200]


def _answer_of(sock: socket.socket) -> bytes:
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    return answer
