"""Serve WSGI apps with waitress in background threads: ``up`` and the test suites use the same code.

A server is bound first (port 0 lets the OS pick) and given its app afterwards, so every app can be
told every other app's URL before it is built.
"""
from __future__ import annotations

import gc
import logging
import threading

from waitress import wasyncore

from common.peer_limits import create_guarded_server
from common.proxies import proxies_of


# waitress warns at every queued request ("Task queue depth is 1"): noise for a harness
logging.getLogger("waitress.queue").setLevel(logging.ERROR)


def settle_heap() -> None:
    """Start-up is over (the apps are built and served): the objects it created (modules, classes,
    mappers, apps) live as long as the process, so the cyclic collector leaves them out of its passes
    from now on (``gc.freeze``). Unfrozen, each full pass walked them all (~140,000 objects) holding the
    interpreter lock: a 30–230 ms stall of every request in flight, the hand-off's p99."""
    gc.freeze()


class _Deferred:
    """A WSGI callable whose app is plugged in after the socket is bound."""

    def __init__(self):
        self.app = None

    def __call__(self, environ, start_response):
        if self.app is None:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8")])
            return ["Service en cours de démarrage.".encode()]
        return self.app(environ, start_response)


# worker threads per app: a request waiting for its group commit (``common.group_commit``) holds its
# thread, so with fewer threads than a DMS's connections the rest queue in waitress instead of joining
# the batch being gathered (16 connections, 8 threads: hand-offs 0.40× the bare floor; 16: 0.43×,
# ``bench/handoff.py``, both served alike). An idle thread costs a blocked wait, nothing more.
THREADS = 16


class AppServer:
    """One app on one port. ``AppServer.bind(host, port)`` then ``.mount(app)``, ``.start()``, ``.stop()``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, threads: int = THREADS):
        self._wsgi = _Deferred()
        # bounded per peer (common.peer_limits): slow clients cannot hold every connection; forwarded
        # headers are the app's to read or drop (common.proxies, the same under gunicorn), not waitress's
        self._server = create_guarded_server(self._wsgi, host=host, port=port, threads=threads,
                                             ident="spoticar-harness", clear_untrusted_proxy_headers=False,
                                             channel_timeout=30, proxies=lambda: proxies_of(self._wsgi.app))
        self.host = host
        self.port = int(self._server.effective_port)
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @classmethod
    def bind(cls, host: str = "127.0.0.1", port: int = 0, threads: int = THREADS) -> AppServer:
        return cls(host, port, threads)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def app(self):
        return self._wsgi.app

    def mount(self, app) -> AppServer:
        self._wsgi.app = app
        return self

    def _loop(self) -> None:
        # waitress's own run() loops until its map is empty; ours also stops on request, and closes
        # the sockets from this same thread, never under a select() in progress. The poll waits up to
        # waitress's own 1 s (stop() and every answer ready to send pull its trigger): at 0.05 s an
        # idle app spent ~1.7 ms of CPU a second polling.
        while not self._stopping.is_set():
            wasyncore.loop(timeout=1.0, map=self._server._map, use_poll=True, count=1)
        for channel in list(self._server._map.values()):
            channel.close()

    def start(self) -> AppServer:
        self._thread = threading.Thread(target=self._loop, name=f"waitress:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Finish the requests under way, then close the listening socket and every connection. The
        app's ``before_server_stop`` callables run first: long-lived answers (event streams) end."""
        for hook in list(getattr(self.app, "extensions", {}).get("before_server_stop", ())):
            hook()
        self._server.task_dispatcher.shutdown(cancel_pending=False, timeout=5)
        self._stopping.set()
        try:
            self._server.pull_trigger()  # wake the poll now, not at its timeout
        except OSError:
            pass  # the trigger is closed already: the loop has ended
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
