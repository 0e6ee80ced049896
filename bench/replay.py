"""A browser flow's static floor: every answer the apps gave during one run, recorded as they left
each app, then served again as fixed bytes on the same addresses while the same flow replays.

The floor is then the same pages (same HTML, CSS, JS, redirects, pop-ups, event stream), the same
clicks and the same typing, with servers that do no work: what is left is the browser's and
Playwright's own cost. ``flow / floor`` says what the apps add.

    recording = Recording(stack)        # before a run of the flow
    flow(page)
    recording.stop()
    stack.stop()                        # frees the apps' ports
    with recording.serve():             # the same addresses answer from the recording
        flow(page)

Answers are taken at each app's WSGI edge (``Stack.app``, for benches only), not in the browser: a
pop-up the flow closes cannot take its answers along, and an event stream is kept as it was sent.
"""
from __future__ import annotations

import contextlib
import http.server
import socket
import threading
from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

# hop-by-hop or re-computed when served again
_DROPPED = {"content-length", "transfer-encoding", "content-encoding", "connection", "keep-alive", "date",
            "server"}


class Answer:
    """One recorded response: status, header pairs (Set-Cookie kept one by one), body chunks."""

    def __init__(self):
        self.status, self.headers, self.chunks = 404, [("Content-Type", "text/plain")], []

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)


def _key(method: str, path: str, query: str) -> tuple[str, str]:
    return method, unquote(path) + (f"?{query}" if query else "")


class Recording:
    """The answers of the apps ``names`` of ``stack``, by origin then ``(method, path?query)`` in the
    order the requests came."""

    def __init__(self, stack, names: list[str]):
        self.answers: dict[str, dict[tuple[str, str], list[Answer]]] = defaultdict(lambda: defaultdict(list))
        self.served: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
        self._apps = []
        for name in names:
            app, url = stack.app(name), urlsplit(stack.url(name))
            self._apps.append((app, app.wsgi_app))
            app.wsgi_app = _recorder(app.wsgi_app, self.answers[f"{url.hostname}:{url.port}"])

    def stop(self) -> None:
        for app, wsgi_app in self._apps:
            app.wsgi_app = wsgi_app

    def rewind(self) -> None:
        """The next replay starts again from each address's first answer."""
        for served in self.served.values():
            served.clear()

    @contextlib.contextmanager
    def serve(self) -> Iterator[None]:
        """Serve every recorded origin on its own host and port (the apps must be stopped)."""
        servers = [_server(origin, answers, self.served[origin]) for origin, answers in self.answers.items()]
        try:
            yield
        finally:
            for server in servers:
                server.shutdown()
                server.close_connections()  # the browser must not keep talking to a replay
                server.server_close()


def _recorder(wsgi_app, answers: dict[tuple[str, str], list[Answer]]):
    lock = threading.Lock()

    def record(environ, start_response):
        answer = Answer()
        with lock:
            answers[_key(environ["REQUEST_METHOD"], environ.get("PATH_INFO", "").encode("latin-1").decode(),
                          environ.get("QUERY_STRING", ""))].append(answer)

        def start(status, headers, exc_info=None):
            answer.status = int(status.split(" ", 1)[0])
            answer.headers = [(k, v) for k, v in headers if k.lower() not in _DROPPED]
            return start_response(status, headers, exc_info)

        result = wsgi_app(environ, start)
        try:
            for chunk in result:
                answer.chunks.append(chunk)  # an event stream: each event as it was sent
                yield chunk
        finally:
            if hasattr(result, "close"):
                result.close()
    return record


def _server(origin: str, answers: dict[tuple[str, str], list[Answer]],
            served: dict[tuple[str, str], int]) -> http.server.ThreadingHTTPServer:
    host, port = origin.rsplit(":", 1)
    by_path = {}  # a query the run did not send (the autocomplete's prefixes): the path's last answer
    for (method, target), found in answers.items():
        by_path[(method, target.split("?", 1)[0])] = found[-1]
    lock = threading.Lock()

    def pick(method: str, raw: str) -> Answer:
        url = urlsplit(raw)
        key = _key(method, url.path, url.query)
        found = answers.get(key)
        if not found:
            return by_path.get((method, key[1].split("?", 1)[0])) or Answer()
        with lock:  # the n-th request for an address gets the n-th answer (the card before and after)
            n = served[key]
            served[key] = n + 1
        return found[min(n, len(found) - 1)]

    class Replay(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the apps' server

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            answer = pick(self.command, self.path)
            body = answer.body
            self.send_response(answer.status)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, *args) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        allow_reuse_address = True
        daemon_threads = True

        def __init__(self, *args):
            self.connections: set[socket.socket] = set()
            super().__init__(*args)

        def process_request(self, request, client_address):
            self.connections.add(request)
            super().process_request(request, client_address)

        def shutdown_request(self, request):
            self.connections.discard(request)
            super().shutdown_request(request)

        def close_connections(self) -> None:
            for connection in list(self.connections):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    server = Server((host, int(port)), Replay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
