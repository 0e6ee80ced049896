"""Waitress bounded per peer, so slow clients (slowloris) cannot stop an app.

Waitress reads requests asynchronously (a slow client holds no worker thread) but stops accepting
once ``connection_limit`` sockets are open (100 by default): ~105 connections trickling their
headers froze the centralisateur. Here:

- the connection limit is raised (poll(), not select(), so past 1,024 descriptors);
- one peer (IP address) may hold at most ``PER_PEER_CONNECTIONS`` sockets; more are closed at once;
- a request must arrive whole within ``REQUEST_DEADLINE`` seconds of its first byte;
- past ``SLOW_AFTER`` seconds, a peer keeps at most ``PER_PEER_SLOW`` unfinished requests: the
  oldest beyond that are closed (a browser or a DMS sends its request in milliseconds);
- behind a trusted proxy (``common.proxies``) these bounds apply per client, not to the proxy: its
  connections are not capped per peer, and its unfinished requests count for the client its
  ``X-Forwarded-For`` names once their headers are in (before that, only the deadline applies: a
  proxy such as nginx receives a request whole before passing it on);
- what waitress refuses itself (a malformed request line, header or Content-Length) is answered in
  French, like the apps' own errors.

``create_guarded_server(app, proxies=None, **waitress_options)`` is ``waitress.create_server`` with
these rules; ``proxies``: a callable giving the ``TrustedProxies`` (read when needed: the app may be
mounted after the server is bound).
"""
from __future__ import annotations

import time
from collections import Counter, defaultdict

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask

from common.proxies import NO_PROXY

CONNECTION_LIMIT = 1000
PER_PEER_CONNECTIONS = 200   # a load test or a DMS with a pool stays well below
REQUEST_DEADLINE = 15.0      # seconds from a request's first byte to its last (body ≤ 1 MB)
SLOW_AFTER = 2.0
PER_PEER_SLOW = 8
CLEANUP_INTERVAL = 1         # how often waitress runs maintenance() (seconds)


SERVER_MESSAGES = {  # the refusals the server (waitress, gunicorn) answers itself, before any app sees the request
    400: "Requête invalide : la requête HTTP est mal formée (en-têtes, Content-Length ou corps).",
    403: "Requête refusée par le serveur.",
    408: "Requête incomplète : son contenu n'est pas arrivé à temps.",
    414: "L'adresse demandée est trop longue.",
    417: "L'en-tête Expect de la requête n'est pas pris en charge.",
    413: "Le contenu envoyé est trop volumineux.",
    431: "Les en-têtes de la requête sont trop volumineux.",
    500: "Erreur interne : l'incident a été enregistré.",
    501: "Requête non prise en charge par le serveur (Transfer-Encoding inconnu).",
}


class FrenchErrorTask(ErrorTask):
    """Waitress's own refusals (malformed request line or headers, bad Content-Length, headers too
    large…) in French like every app's, instead of its English text naming the parser's details."""

    def execute(self):
        code = self.request.error.code
        body = f"Erreur {code}\r\n\r\n{SERVER_MESSAGES.get(code, SERVER_MESSAGES[400])}\r\n".encode()
        self.status = f"{code} {self.request.error.reason}"
        self.response_headers.append(("Content-Type", "text/plain; charset=utf-8"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class GuardedChannel(HTTPChannel):
    """An HTTP connection that remembers when its unfinished request began; waitress's own refusals
    in French."""

    request_started: float | None = None
    error_task_class = FrenchErrorTask

    def received(self, data):
        if data and self.request is None:
            self.request_started = time.monotonic()
        return super().received(data)

    def writable(self):
        # A task thread sending its answer holds outbuf_lock (``write_soon``) while its bytes sit in
        # the outbuf, until its send returns and it gets the interpreter lock back — long on a busy
        # process. Polling the socket for writing meanwhile returns at once, again and again: the
        # main loop spun ~20 times per hand-off. The task wakes the loop (pull_trigger) when it
        # leaves bytes unsent, so the loop looks again then.
        if self.requests and not (self.will_close or self.close_when_flushed):
            if not self.outbuf_lock.acquire(False):
                return False
            self.outbuf_lock.release()
        return super().writable()


class GuardedServer(TcpWSGIServer):
    """``TcpWSGIServer`` with per-peer bounds (see the module's docstring)."""

    channel_class = GuardedChannel
    proxies = staticmethod(lambda: NO_PROXY)  # the trusted proxies (``create_guarded_server``)

    def _peer_counts(self) -> Counter:
        return Counter(_peer(channel) for channel in self.active_channels.values())

    def handle_accept(self):
        try:
            accepted = self.accept()
        except OSError:
            return
        if accepted is None:
            return
        conn, addr = accepted
        if not self.proxies().trusts(addr[0]) and self._peer_counts()[addr[0]] >= PER_PEER_CONNECTIONS:
            conn.close()  # this peer already holds its share
            return
        self.set_socket_options(conn)
        self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    def maintenance(self, now):
        super().maintenance(now)  # idle connections: channel_timeout
        clock = time.monotonic()
        proxies = self.proxies()
        slow = defaultdict(list)
        for channel in list(self.active_channels.values()):
            started = getattr(channel, "request_started", None)
            if channel.requests or channel.request is None or started is None:
                continue
            age = clock - started
            if age > REQUEST_DEADLINE:
                channel.will_close = True
            elif age > SLOW_AFTER:
                client = _client(channel, proxies)
                if client is not None:
                    slow[client].append((started, id(channel), channel))
        for channels in slow.values():
            for _started, _id, channel in sorted(channels)[:max(0, len(channels) - PER_PEER_SLOW)]:
                channel.will_close = True


def _peer(channel) -> str:
    addr = getattr(channel, "addr", None)
    return addr[0] if isinstance(addr, tuple) and addr else "?"


def _client(channel, proxies) -> str | None:
    """Whom a channel's unfinished request counts for: its peer, or from a trusted proxy the client its
    ``X-Forwarded-For`` names once the headers are in (None before: the proxy itself is not bounded)."""
    peer = _peer(channel)
    if not proxies.trusts(peer):
        return peer
    request = channel.request
    if request is None or not getattr(request, "headers_finished", False):
        return None
    client = proxies.client(peer, request.headers.get("X_FORWARDED_FOR"))
    return None if proxies.trusts(client) else client


def create_guarded_server(app, proxies=None, **options) -> GuardedServer:
    """A bound TCP waitress server for ``app`` (one listen address) with the per-peer bounds."""
    options.setdefault("connection_limit", CONNECTION_LIMIT)
    options.setdefault("cleanup_interval", CLEANUP_INTERVAL)
    options.setdefault("asyncore_use_poll", True)
    server = GuardedServer(app, adj=Adjustments(**options))
    if proxies is not None:
        server.proxies = proxies
    return server
