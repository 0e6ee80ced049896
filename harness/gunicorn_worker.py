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


class BodyFirst:
    """The request body's faults answered by the server, before the app, as waitress does:

    - gunicorn parses a chunked body only as the app reads it: a malformed chunk (a size that is not
      hexadecimal, a chunk cut short) then raised inside the view reading it — a 500 from the hand-off
      API or a login form. The chunked body is read whole first, up to the app's ``MAX_CONTENT_LENGTH``:
      a malformed chunk is the server's French 400, a longer body its 413, and the app gets the body
      with its Content-Length;
    - a Content-Length over that limit is the server's 413 with the connection closed: answered by
      the app, gunicorn kept the connection to drain a body it would never use (a client reading to
      the end waited for its timeout)."""

    def __init__(self, wsgi_app, limit: int | None):
        self.wsgi_app, self.limit = wsgi_app, limit

    def __call__(self, environ, start_response):
        if "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            length = environ.get("CONTENT_LENGTH") or ""
            if self.limit is not None and length.isdigit() and int(length) > self.limit:
                return self._refuse(start_response, "413 Request Entity Too Large")
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

    def load_wsgi(self):
        super().load_wsgi()
        app = self.wsgi   # stays the Flask app (its templates warmed, its writers stopped at exit)
        if hasattr(app, "wsgi_app"):
            app.wsgi_app = BodyFirst(app.wsgi_app, app.config.get("MAX_CONTENT_LENGTH"))
