"""``common.serve.AppServer`` (waitress, guarded channels): answers of every size arrive whole and in
order on keep-alive connections, while many tasks write at once (the main loop leaves a socket alone
while its task is sending, ``common.peer_limits.GuardedChannel.writable``)."""
from __future__ import annotations

import concurrent.futures as cf
import hashlib

import httpx

from common.serve import AppServer

CHUNK = 64 * 1024


def _app(environ, start_response):
    """``/big/<n>``: n chunks of 64 KiB, streamed; anything else: a short answer naming the path."""
    path = environ["PATH_INFO"]
    if path.startswith("/big/"):
        count = int(path.rsplit("/", 1)[1])
        start_response("200 OK", [("Content-Type", "application/octet-stream"),
                                  ("Content-Length", str(count * CHUNK))])
        return (bytes([i % 251]) * CHUNK for i in range(count))
    body = path.encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def _expected(count: int) -> str:
    return hashlib.sha256(b"".join(bytes([i % 251]) * CHUNK for i in range(count))).hexdigest()


def _client_session(url: str, index: int) -> list[tuple[int, str]]:
    with httpx.Client(base_url=url, timeout=60) as client:  # one keep-alive connection
        answers = []
        for path in (f"/small/{index}", f"/big/{16 + index}", f"/small/{index}/again", f"/big/{3 + index}"):
            response = client.get(path)
            answers.append((response.status_code, hashlib.sha256(response.content).hexdigest()
                            if path.startswith("/big/") else response.text))
        return answers


def test_large_and_small_answers_arrive_whole_on_busy_keep_alive_connections():
    with AppServer.bind("127.0.0.1", 0).mount(_app) as server, cf.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: _client_session(server.url, i), range(8)))
    for index, answers in enumerate(results):
        assert answers == [(200, f"/small/{index}"), (200, _expected(16 + index)),
                           (200, f"/small/{index}/again"), (200, _expected(3 + index))]
