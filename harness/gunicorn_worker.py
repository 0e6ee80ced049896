"""The gunicorn worker ``serve`` and ``up --processes`` run: gunicorn's threaded worker, with the
refusals gunicorn answers itself (a malformed request line or header, a URI or headers too long…)
in French like every app's own errors and waitress's (``common.peer_limits.SERVER_MESSAGES``),
instead of its English HTML page naming the parser's details.

A request's body is received whole before the app runs, under the bounds ``common.peer_limits``
sets for waitress: within ``REQUEST_DEADLINE`` seconds, and past ``SLOW_AFTER`` seconds one peer keeps
at most ``SLOW_BODIES_PER_PEER`` such bodies waiting in each worker process; a body over the app's
``MAX_CONTENT_LENGTH`` is refused unread. gthread hands the app a request once its headers are in,
and the app's thread then waited on the socket for the body as long as the client kept it open: a
dozen connections announcing a body that never came held every thread of an app (2 workers × 4
threads), which answered no one — not even ``/healthz`` — for as long as they stayed open."""
from __future__ import annotations

import io
import socket
import threading
import time
from collections import Counter

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from common.peer_limits import REQUEST_DEADLINE, SERVER_MESSAGES, SLOW_AFTER

SLOW_BODIES_PER_PEER = 1  # per worker process: the threads one peer's slow bodies may hold
REASONS = {408: "Request Timeout", 413: "Payload Too Large"}


def write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """``gunicorn.util.write_error`` in French: a plain-text body, the connection closed."""
    body = f"Erreur {status_int}\r\n\r\n{SERVER_MESSAGES.get(status_int, SERVER_MESSAGES[400])}\r\n".encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


class FrenchThreadWorker(ThreadWorker):
    """gunicorn's ``gthread`` worker answering its own refusals in French, each request's body
    received (bounded) before the app runs."""

    def init_process(self):
        util.write_error = write_error  # the worker's process is ours alone: its one error writer
        self._slow, self._slow_lock = Counter(), threading.Lock()
        super().init_process()

    def handle_request(self, req, conn):
        refused = self._receive_body(req, conn)
        if refused:
            write_error(conn.sock, refused, REASONS[refused], "")
            return False  # the connection closes: what the client still sends is never read
        return super().handle_request(req, conn)

    def _receive_body(self, req, conn) -> int | None:
        """Receive what is missing of a body of known length into the request's buffer (the app then
        reads it from memory); the status refusing it (408, 413), or None. A chunked body is read by
        the app as it comes."""
        length = next((value for name, value in req.headers if name == "CONTENT-LENGTH"), None)
        if length is None or not length.isdigit() or int(length) == 0:
            return None
        length = int(length)
        limit = getattr(self.wsgi, "config", {}).get("MAX_CONTENT_LENGTH")
        if limit is not None and length > limit:
            return 413
        unreader = conn.parser.unreader
        missing = length - len(unreader.buf.getvalue())
        if missing <= 0:
            return None
        peer = conn.client[0] if isinstance(conn.client, tuple | list) and conn.client else str(conn.client)
        sock, started, slow, pieces = conn.sock, time.monotonic(), False, []
        prior = sock.gettimeout()
        try:
            while missing > 0:
                elapsed = time.monotonic() - started
                if not slow and elapsed >= SLOW_AFTER:
                    with self._slow_lock:
                        if self._slow[peer] >= SLOW_BODIES_PER_PEER:
                            return 408
                        self._slow[peer] += 1
                    slow = True
                wait = (REQUEST_DEADLINE if slow else SLOW_AFTER) - elapsed
                if wait <= 0:
                    return 408
                sock.settimeout(wait)
                try:
                    piece = sock.recv(min(missing, 1 << 20))
                except (socket.timeout, TimeoutError):
                    continue  # judged again: slow now, or past the deadline
                if not piece:  # the client left: the app's read meets the end as it would have
                    break
                pieces.append(piece)
                missing -= len(piece)
        finally:
            sock.settimeout(prior)
            if slow:
                with self._slow_lock:
                    self._slow[peer] -= 1
                    if self._slow[peer] <= 0:
                        del self._slow[peer]
            if pieces:  # after what the parser had buffered already: the body in its order
                held = unreader.buf.getvalue()
                unreader.buf = io.BytesIO()
                unreader.unread(held + b"".join(pieces))
        return None
