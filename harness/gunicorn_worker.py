"""The gunicorn worker ``serve`` and ``up --processes`` run: gunicorn's threaded worker, with the
refusals gunicorn answers itself (a malformed request line or header, a URI or headers too long…)
in French like every app's own errors and waitress's (``common.peer_limits.SERVER_MESSAGES``),
instead of its English HTML page naming the parser's details.

A request is received whole — headers, then its body, of known length or chunked — before the app
runs, under the bounds ``common.peer_limits`` sets for waitress: within ``REQUEST_DEADLINE`` seconds,
and past ``SLOW_AFTER`` seconds one peer keeps at most ``SLOW_REQUESTS_PER_PEER`` requests being
received in each worker process (the others get a French 408 and are closed); a body announced over
the app's ``MAX_CONTENT_LENGTH`` is never read (the app answers its own 413, then the connection
closes), a malformed chunked one is a French 400 (``FrenchThreadWorker._receive_body``). gthread reads a request in one of its threads, and
that thread waited on the socket as long as the client kept it open: a dozen connections trickling
their headers, or announcing a body that never came, held every thread of an app (then 2 workers × 4
threads), which then answered no one — not even ``/healthz`` — for as long as they stayed open.

Behind a trusted proxy (``common.proxies``) a request counts for the client its ``X-Forwarded-For``
names once its headers are in, as under waitress; before that only the deadline bounds it.
Forwarded headers are read by the app alone (``common.proxies.ForwardedClient``): ``serve`` gives
gunicorn no ``forwarded_allow_ips``, so ``X-Forwarded-Proto`` changes nothing, as under waitress.

Connections are spread over the workers (``FrenchThreadWorker.wait_for_and_dispatch_events``).
gunicorn leaves a new connection to whichever worker wakes first: a DMS opening 16 connections at
once had all of them accepted by one worker of two about half the time, served by its 4 threads while
the other worker's sat idle (hand-offs 1,000 req/s instead of 2,000). A worker whose threads are all
at work on a connection (one idle between two requests, or waiting for its first bytes, does not
count) now leaves a new one to another worker, and takes those still waiting ``BALANCE_DELAY`` later
(every worker busy) all at once."""
from __future__ import annotations

import io
import selectors
import threading
import time
from collections import Counter

from gunicorn import util
from gunicorn.http import unreader as _unreader
from gunicorn.http.body import ChunkedReader
from gunicorn.http.errors import NoMoreData, ParseException
from gunicorn.workers.gthread import ThreadWorker

from common.peer_limits import REQUEST_DEADLINE, SERVER_MESSAGES, SLOW_AFTER
from common.proxies import proxies_of

SLOW_REQUESTS_PER_PEER = 1  # per worker process: the threads one peer's slow requests may hold
BALANCE_DELAY = 0.05  # seconds a worker with every thread at work leaves a new connection to the others
MAX_ACCEPT = 64  # connections such a worker takes at once once nobody else did
REASONS = {400: "Bad Request", 408: "Request Timeout", 413: "Payload Too Large"}
_receiving = threading.local()  # the reception under way in this thread (headers and body), if any


def write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """``gunicorn.util.write_error`` in French: a plain-text body, the connection closed."""
    body = f"Erreur {status_int}\r\n\r\n{SERVER_MESSAGES.get(status_int, SERVER_MESSAGES[400])}\r\n".encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


class Late(Exception):
    """A request not received in time (or one slow request too many for its peer): a 408."""


class Reception:
    """One request being received by a thread: when its reading began (its first byte is there: gthread
    waits for it off the thread pool), whether it is slow (``SLOW_AFTER`` passed), and whether it counts
    among its peer's slow ones (``peer``: None for a trusted proxy's request whose client is not known
    yet, counted for no one)."""

    def __init__(self, worker: FrenchThreadWorker, peer: str | None):
        self.worker, self.peer, self.started, self.slow, self.counted = worker, peer, None, False, False

    def wait(self) -> float:
        """How long the next read may wait; raises ``Late`` when the request may wait no more."""
        now = time.monotonic()
        if self.started is None:  # an idle connection (a browser's preconnect) starts counting now
            self.started = now
        elapsed = now - self.started
        if not self.slow and elapsed >= SLOW_AFTER:
            self.slow = True
        if self.slow and not self.counted and self.peer is not None:
            with self.worker.slow_lock:
                if self.worker.slow[self.peer] >= SLOW_REQUESTS_PER_PEER:
                    raise Late
                self.worker.slow[self.peer] += 1
            self.counted = True
        wait = (REQUEST_DEADLINE if self.slow else SLOW_AFTER) - elapsed
        if wait <= 0:
            raise Late
        return wait

    def recv(self, sock, size: int) -> bytes:
        """``sock.recv(size)`` within this request's bounds."""
        prior = sock.gettimeout()
        try:
            while True:
                sock.settimeout(self.wait())
                try:
                    return sock.recv(size)
                except TimeoutError:  # socket.timeout is its alias
                    continue  # judged again: slow now, or past the deadline
        finally:
            sock.settimeout(prior)

    def close(self) -> None:
        if self.counted:
            with self.worker.slow_lock:
                self.worker.slow[self.peer] -= 1
                if self.worker.slow[self.peer] <= 0:
                    del self.worker.slow[self.peer]
            self.counted = False


_plain_chunk = _unreader.SocketUnreader.chunk


def _bounded_chunk(self, size_hint=None):
    """``SocketUnreader.chunk``: the parser's reads of a request being received are bounded."""
    reception = getattr(_receiving, "current", None)
    if reception is None:
        return _plain_chunk(self, size_hint)
    size = self.mxchunk
    if size_hint and size_hint > size:
        size = min(size_hint, self.max_body_chunk)
    return reception.recv(self.sock, size)


def _peer(conn) -> str:
    client = conn.client
    return str(client[0]) if isinstance(client, tuple | list) and client else str(client)


class FrenchThreadWorker(ThreadWorker):
    """gunicorn's ``gthread`` worker answering its own refusals in French, each request received
    (bounded) before the app runs."""

    def init_process(self):
        util.write_error = write_error  # the worker's process is ours alone: its one error writer…
        _unreader.SocketUnreader.chunk = _bounded_chunk  # …and its one way of reading a request
        self.slow, self.slow_lock = Counter(), threading.Lock()
        self._offered_at: float | None = None  # when a connection came while this worker was full
        super().init_process()

    def wait_for_and_dispatch_events(self, timeout):
        """gthread's wait for its sockets' events, spreading connections over the workers (see the
        module's docstring). A single worker, or fewer connections at work than threads (one idle
        between two requests, or waiting for its first bytes, holds no thread): as gthread. Every
        thread at work: the listeners are watched, not accepted from; once a connection comes, they
        are left alone ``BALANCE_DELAY``, then every connection still waiting is taken. Between two
        calls the listeners are registered as gthread keeps them (accepting)."""
        # ``_accepting``: gthread's own record of its listeners being registered (gunicorn 27)
        at_work = self.nr_conns - len(self.keepalived_conns) - len(self.pending_conns)
        full = self.cfg.workers > 1 and self._accepting and at_work >= self.cfg.threads
        if not full:
            self._offered_at = None
            return super().wait_for_and_dispatch_events(timeout)
        if self._offered_at is None:  # watch: ``_offered`` notes the time a connection comes
            self._listen(self._offered)
            try:
                return super().wait_for_and_dispatch_events(timeout)
            finally:
                self._listen(self.accept)
        left = BALANCE_DELAY - (time.monotonic() - self._offered_at)
        if left <= 0:  # no other worker took them: this one does, all at once
            self._offered_at = None
            for listener in self.sockets:
                for _ in range(MAX_ACCEPT):
                    held = self.nr_conns
                    self.accept(listener)  # nothing waiting: gthread's accept lets EAGAIN go
                    if self.nr_conns == held:
                        break
            return super().wait_for_and_dispatch_events(0)
        self.set_accept_enabled(False)  # another worker's turn: the listeners alone are not watched
        try:
            return super().wait_for_and_dispatch_events(left)
        finally:
            self.set_accept_enabled(True)

    def _listen(self, callback) -> None:
        for listener in self.sockets:
            self.poller.modify(listener, selectors.EVENT_READ, callback)

    def _offered(self, _listener) -> None:
        self._offered_at = time.monotonic()

    def handle(self, conn):
        peer = _peer(conn)
        # a trusted proxy's request counts for its client, known once its headers are in (handle_request)
        _receiving.current = reception = Reception(self, None if proxies_of(self.wsgi).trusts(peer) else peer)
        try:
            return super().handle(conn)
        finally:
            _receiving.current = None
            reception.close()

    def handle_request(self, req, conn):
        reception = getattr(_receiving, "current", None)
        if reception is not None and reception.peer is None:  # from a trusted proxy: now its client
            proxies, peer = proxies_of(self.wsgi), _peer(conn)
            forwarded = ", ".join(value for name, value in req.headers if name == "X-FORWARDED-FOR")
            client = proxies.client(peer, forwarded)
            reception.peer = None if proxies.trusts(client) else client
        try:
            refused = self._receive_body(req, conn)
        except Late:
            refused = 408
        reception = getattr(_receiving, "current", None)
        _receiving.current = None  # received: the app's own reads are its business
        if reception is not None:
            reception.close()
        if refused:
            write_error(conn.sock, refused, REASONS[refused], "")
            return False  # the connection closes: what the client still sends is never read
        return super().handle_request(req, conn)

    def handle_error(self, req, client, addr, exc):
        if isinstance(exc, Late):  # headers not received in time
            write_error(client, 408, REASONS[408], "")
            return
        super().handle_error(req, client, addr, exc)

    def _receive_body(self, req, conn) -> int | None:
        """Receive the request's body before the app runs, within the request's bounds; the status
        refusing it (400, 413), or None.

        - A body of known length: what is missing is read into the request's buffer (the app then
          reads it from memory).
        - One over the app's ``MAX_CONTENT_LENGTH``: never read. The app answers its own 413 from the
          header (the API's JSON errors, as under waitress) with an empty input, and the connection
          closes after it instead of draining a body nobody reads.
        - A chunked body: read whole here — gunicorn parses chunks only as the app reads them, so a
          malformed chunk raised inside the view reading it (a 500). A malformed one is the server's
          French 400, one longer than the limit its 413; the app gets the body with its Content-Length."""
        limit = getattr(self.wsgi, "config", {}).get("MAX_CONTENT_LENGTH")
        if isinstance(getattr(req.body, "reader", None), ChunkedReader):
            try:
                body = req.body.read(-1 if limit is None else limit + 1)
            except (ParseException, NoMoreData):
                return 400
            if limit is not None and len(body) > limit:
                return 413
            req.headers = [(name, value) for name, value in req.headers if name != "TRANSFER-ENCODING"]
            req.headers.append(("CONTENT-LENGTH", str(len(body))))
            req.body = io.BytesIO(body)
            return None
        length = next((value for name, value in req.headers if name == "CONTENT-LENGTH"), None)
        if length is None or not length.isdigit() or int(length) == 0:
            return None
        length = int(length)
        if limit is not None and length > limit:
            req.force_close()
            req.body = io.BytesIO()  # the app answers from the header: nothing to wait for
            return None
        unreader = conn.parser.unreader
        missing = length - len(unreader.buf.getvalue())
        reception, pieces = getattr(_receiving, "current", None), []
        try:
            while missing > 0 and reception is not None:
                piece = reception.recv(conn.sock, min(missing, 1 << 20))
                if not piece:  # the client left: the app's read meets the end as it would have
                    break
                pieces.append(piece)
                missing -= len(piece)
        finally:
            if pieces:  # after what the parser had buffered already: the body in its order
                held = unreader.buf.getvalue()
                unreader.buf = io.BytesIO()
                unreader.unread(held + b"".join(pieces))
        return None
