"""Slow clients (slowloris) cannot stop an app: the server keeps answering others, and one peer's
unfinished requests are bounded (common.peer_limits). Speed is measured in bench/security.py."""
from __future__ import annotations

import socket
import time

import httpx
import pytest
from flask import Flask

from common.peer_limits import PER_PEER_SLOW, SLOW_AFTER
from common.serve import AppServer


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
