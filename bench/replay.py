"""A browser flow's static floor: every answer the apps gave during one run, recorded in the browser,
then served again as fixed bytes on the same addresses while the same flow replays.

The floor is then the same pages (same HTML, CSS, JS, redirects, pop-ups, event stream), the same
clicks and the same typing, with servers that do no work: what is left is the browser's and
Playwright's own cost. ``flow / floor`` says what the apps add.

    recording = Recording(context)      # before a run of the flow
    flow(page)
    recording.stop()
    stack.stop()                        # frees the apps' ports
    with recording.serve():             # the same addresses answer from the recording
        flow(page)
"""
from __future__ import annotations

import contextlib
import http.server
import threading
from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import urlsplit

# hop-by-hop or re-computed when served again
_DROPPED = {"content-length", "transfer-encoding", "content-encoding", "connection", "keep-alive", "date"}


class Answer:
    """One recorded response: status, header pairs (Set-Cookie kept one by one), body."""

    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes):
        self.status, self.headers, self.body = status, headers, body


class _StreamAnswer(Answer):
    """An event stream: its events as they came, served at once (a static server does not wait)."""

    def __init__(self, status: int, headers: list[tuple[str, str]], events: list[str]):
        super().__init__(status, headers, b"")
        self.events = events

    @property
    def body(self) -> bytes:
        return ("retry: 1000\n\n" + "".join(self.events)).encode()

    @body.setter
    def body(self, value: bytes) -> None:
        pass


class Recording:
    """The responses a browser ``context`` receives, by origin then ``(method, path?query)`` in the
    order they came."""

    def __init__(self, context):
        self.context = context
        self.answers: dict[str, dict[tuple[str, str], list[Answer]]] = defaultdict(lambda: defaultdict(list))
        self.missing: list[str] = []
        self.served: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
        self.streams: dict[str, list[str]] = defaultdict(list)  # event-stream URL → its events, as sent
        self._stream_urls: dict[str, str] = {}
        self._cdp = []
        context.on("requestfinished", self._finished)
        context.on("response", self._stream_opened)
        for page in context.pages:
            self._watch_streams(page)
        context.on("page", self._watch_streams)

    def _watch_streams(self, page) -> None:
        """An event stream never finishes while its page listens: its events are read from the
        browser's own network log (DevTools protocol) as they arrive."""
        cdp = self.context.new_cdp_session(page)
        cdp.on("Network.responseReceived", self._stream_response)
        cdp.on("Network.eventSourceMessageReceived", self._stream_event)
        cdp.send("Network.enable")
        self._cdp.append(cdp)

    def _stream_response(self, event: dict) -> None:
        if event.get("type") == "EventSource":
            self._stream_urls[event["requestId"]] = event["response"]["url"]

    def _stream_event(self, event: dict) -> None:
        url = self._stream_urls.get(event["requestId"])
        if url:
            name = event.get("eventName") or "message"
            prefix = "" if name == "message" else f"event: {name}\n"
            self.streams[url].append(prefix + "".join(f"data: {line}\n" for line in event["data"].split("\n")) + "\n")

    def _stream_opened(self, response) -> None:
        if response.request.resource_type == "eventsource":
            url = urlsplit(response.url)
            headers = [(h["name"], h["value"]) for h in response.headers_array() if h["name"].lower() not in _DROPPED]
            answer = _StreamAnswer(response.status, headers, self.streams[response.url])
            target = url.path + (f"?{url.query}" if url.query else "")
            self.answers[f"{url.hostname}:{url.port}"][(response.request.method, target)].append(answer)

    def _finished(self, request) -> None:
        response = request.response()
        if response is None:
            return
        url = urlsplit(request.url)
        if url.scheme not in ("http", "https"):
            return
        try:
            body = b"" if 300 <= response.status < 400 else response.body()
        except Exception:  # noqa: BLE001 - a body the browser no longer holds: noted, replay answers 404
            self.missing.append(request.url)
            return
        headers = [(h["name"], h["value"]) for h in response.headers_array()
                   if h["name"].lower() not in _DROPPED]
        target = url.path + (f"?{url.query}" if url.query else "")
        self.answers[f"{url.hostname}:{url.port}"][(request.method, target)].append(
            Answer(response.status, headers, body))

    def stop(self) -> None:
        self.context.remove_listener("requestfinished", self._finished)
        self.context.remove_listener("response", self._stream_opened)
        self.context.remove_listener("page", self._watch_streams)
        for cdp in self._cdp:
            with contextlib.suppress(Exception):  # a pop-up closed by the flow took its session along
                cdp.detach()

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
                server.server_close()


def _server(origin: str, answers: dict[tuple[str, str], list[Answer]],
            served: dict[tuple[str, str], int]) -> http.server.ThreadingHTTPServer:
    host, port = origin.rsplit(":", 1)
    by_path = {}  # a query the run did not send (the autocomplete's prefixes): the path's last answer
    for (method, target), found in answers.items():
        by_path[(method, target.split("?", 1)[0])] = found[-1]
    lock = threading.Lock()

    def pick(method: str, target: str) -> Answer | None:
        found = answers.get((method, target))
        if not found:
            return by_path.get((method, target.split("?", 1)[0]))
        with lock:  # the n-th request for an address gets the n-th answer (the card before and after)
            n = served[(method, target)]
            served[(method, target)] = n + 1
        return found[min(n, len(found) - 1)]

    class Replay(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the apps' server

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            answer = pick(self.command, self.path)
            if answer is None:
                answer = Answer(404, [("Content-Type", "text/plain")], b"")
            self.send_response(answer.status)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, *args) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        allow_reuse_address = True
        daemon_threads = True

    server = Server((host, int(port)), Replay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
