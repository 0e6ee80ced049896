"""Slow clients (slowloris) cannot stop an app: the server keeps answering others, and one peer's
unfinished requests are bounded (common.peer_limits) — under waitress (``up``) and under gunicorn
(``serve``, ``up --processes``: harness.gunicorn_worker). Speed is measured in bench/security.py."""
from __future__ import annotations

import socket
import subprocess
import time

import httpx
import pytest
from flask import Flask

from common.peer_limits import PER_PEER_SLOW, REQUEST_DEADLINE, SERVER_MESSAGES, SLOW_AFTER
from common.serve import AppServer
from harness.serving import free_port, serve_command, wait_healthy
from tests.security.test_malformed_http import _exchange


@pytest.fixture
def server():
    app = Flask("probe")
    app.add_url_rule("/", "index", lambda: "ok")
    with AppServer.bind().mount(app) as running:
        yield running


def _slow(server, count: int, source: str = "127.0.0.2") -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection((server.host, server.port), timeout=5, source_address=(source, 0))
        sock.sendall(b"GET / HTTP/1.1\r\nHost: lent\r\n")  # never finished
        sockets.append(sock)
    return sockets


def _closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(0.01)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


def test_150_half_open_connections_do_not_stop_the_server(server):
    sockets = _slow(server, 150)
    try:
        assert httpx.get(server.url + "/", timeout=10).text == "ok"
    finally:
        for sock in sockets:
            sock.close()


def test_one_peer_keeps_only_a_few_unfinished_requests(server):
    sockets = _slow(server, 30)
    try:
        deadline = time.monotonic() + SLOW_AFTER + 10
        while time.monotonic() < deadline:
            alive = [s for s in sockets if not _closed_by_server(s)]
            if len(alive) <= PER_PEER_SLOW:
                break
            for sock in alive:  # keep trickling, as slowloris does
                try:
                    sock.sendall(b"X-Lent: 1\r\n")
                except OSError:
                    pass
            time.sleep(0.5)
        assert len(alive) <= PER_PEER_SLOW
    finally:
        for sock in sockets:
            sock.close()


def _answer(sock: socket.socket) -> bytes:
    """What the server sends on ``sock`` until it closes it (bounded by the socket's timeout)."""
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    return answer


def test_requests_that_never_end_do_not_stop_an_app_under_gunicorn(tmp_path):
    """gthread reads a request in one of its threads: each request whose headers or announced body never
    came held a thread for as long as its connection stayed open, and a dozen stopped the app."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = serve_command("centralisateur", f"127.0.0.1:{port}", workers=1, data_dir=tmp_path, seed=0,
                            demo=True, urls={"icare": f"http://127.0.0.1:{free_port()}"})
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stalled = []
    try:
        wait_healthy(url, 60, process)
        for unfinished in (b"GET /healthz HTTP/1.1\r\nHost: x\r\n",  # headers, a body, a chunked body
                           b"POST /api/v1/handoffs HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{",
                           b"POST /api/v1/handoffs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                           b"5\r\n{") * 4:
            sock = socket.create_connection(("127.0.0.1", port), timeout=REQUEST_DEADLINE + 10)
            sock.sendall(unfinished)  # one worker of 8 threads: 12 of them held it
            stalled.append(sock)
        assert httpx.get(url + "/healthz", timeout=SLOW_AFTER * 6).status_code == 200
        for sock in stalled:  # each is refused in French once it is late, and closed
            answer = _answer(sock)
            assert answer.startswith(b"HTTP/1.1 408 ") and SERVER_MESSAGES[408] in answer.decode(), answer[:200]
        status, _head, body = _exchange(url, b"POST /api/v1/handoffs HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                        + b"9" * 30 + b"\r\nConnection: close\r\n\r\n")
        assert status == 413 and SERVER_MESSAGES[413] in body.decode()  # refused unread, at once
    finally:
        for sock in stalled:
            sock.close()
        process.kill()
        process.wait(timeout=20)
