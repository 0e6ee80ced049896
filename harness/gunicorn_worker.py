"""The gunicorn worker ``serve`` and ``up --processes`` run: gunicorn's threaded worker, with the
refusals gunicorn answers itself (a malformed request line or header, a URI or headers too long…)
in French like every app's own errors and waitress's (``common.peer_limits.SERVER_MESSAGES``),
instead of its English HTML page naming the parser's details."""
from __future__ import annotations

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from common.peer_limits import SERVER_MESSAGES


def write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """``gunicorn.util.write_error`` in French: a plain-text body, the connection closed."""
    body = f"Erreur {status_int}\r\n\r\n{SERVER_MESSAGES.get(status_int, SERVER_MESSAGES[400])}\r\n".encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


class FrenchThreadWorker(ThreadWorker):
    """gunicorn's ``gthread`` worker answering its own refusals in French."""

    def init_process(self):
        util.write_error = write_error  # the worker's process is ours alone: its one error writer
        super().init_process()
