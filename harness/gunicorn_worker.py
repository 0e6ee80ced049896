"""The gunicorn worker ``serve`` and ``up --processes`` run: gunicorn's threaded worker, with the
refusals gunicorn answers itself (a malformed request line or header, a URI or headers too long…)
in French like every app's own errors and waitress's (``common.peer_limits.SERVER_MESSAGES``),
instead of its English HTML page naming the parser's details; and a body's faults refused before the
app, as waitress does (``BodyFirst``)."""
from __future__ import annotations

import io

from gunicorn import util
from gunicorn.http.errors import NoMoreData, ParseException
from gunicorn.workers.gthread import ThreadWorker

from common.peer_limits import SERVER_MESSAGES


def _refusal_body(status_int: int) -> bytes:
    return f"Erreur {status_int}\r\n\r\n{SERVER_MESSAGES.get(status_int, SERVER_MESSAGES[400])}\r\n".encode()


def write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """``gunicorn.util.write_error`` in French: a plain-text body, the connection closed."""
    body = _refusal_body(status_int)
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


def _over(length: str | None, limit: int | None) -> bool:
    return limit is not None and bool(length) and length.strip().isdigit() and int(length) > limit


class BodyFirst:
    """The request body's faults answered by the server, before the app, as waitress does:

    - gunicorn parses a chunked body only as the app reads it: a malformed chunk (a size that is not
      hexadecimal, a chunk cut short) then raised inside the view reading it — a 500 from the hand-off
      API or a login form. The chunked body is read whole first, up to the app's ``MAX_CONTENT_LENGTH``:
      a malformed chunk is the server's French 400, a longer body its 413, and the app gets the body
      with its Content-Length;
    - a Content-Length over that limit: the app answers its own 413 (the API's JSON errors) without a
      byte of the body (the journal no longer waits for it), and the worker closes the connection after
      it (``FrenchThreadWorker.handle_request``) instead of draining a body nobody reads: a client
      reading to the end waited for the worker's timeout, its thread held meanwhile."""

    def __init__(self, wsgi_app, limit: int | None):
        self.wsgi_app, self.limit = wsgi_app, limit

    def __call__(self, environ, start_response):
        if "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            if _over(environ.get("CONTENT_LENGTH"), self.limit):
                environ["wsgi.input"] = io.BytesIO()   # answered from its Content-Length: nothing to wait for
            return self.wsgi_app(environ, start_response)
        try:
            body = environ["wsgi.input"].read(-1 if self.limit is None else self.limit + 1)
        except (ParseException, NoMoreData):
            return self._refuse(start_response, "400 Bad Request")
        if self.limit is not None and len(body) > self.limit:
            return self._refuse(start_response, "413 Request Entity Too Large")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        del environ["HTTP_TRANSFER_ENCODING"]
        return self.wsgi_app(environ, start_response)

    @staticmethod
    def _refuse(start_response, status: str):
        body = _refusal_body(int(status[:3]))
        start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
                                ("Connection", "close"), ("Cache-Control", "no-store")])
        return [body]


class FrenchThreadWorker(ThreadWorker):
    """gunicorn's ``gthread`` worker answering its own refusals in French."""

    def init_process(self):
        util.write_error = write_error  # the worker's process is ours alone: its one error writer
        super().init_process()

    body_limit: int | None = None

    def load_wsgi(self):
        super().load_wsgi()
        app = self.wsgi   # stays the Flask app (its templates warmed, its writers stopped at exit)
        if hasattr(app, "wsgi_app"):
            self.body_limit = app.config.get("MAX_CONTENT_LENGTH")
            app.wsgi_app = BodyFirst(app.wsgi_app, self.body_limit)

    def handle_request(self, req, conn):
        if any(name == "CONTENT-LENGTH" and _over(value, self.body_limit) for name, value in req.headers):
            req.must_close = True   # the body is never read: close after the 413, do not drain it
        return super().handle_request(req, conn)
