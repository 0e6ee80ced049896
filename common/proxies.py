"""Who the client is when the apps sit behind a TLS-terminating reverse proxy.

Behind a proxy every connection comes from the proxy's address: the per-client bounds (login
failures, public forms, slow requests and connections per peer) would count every user as one, and
one abusive client would lock everyone out. ``TRUSTED_PROXIES`` (app config) or
``SPOTICAR_TRUSTED_PROXIES`` (environment) lists the proxies' addresses or networks, e.g.
``"10.0.0.5, 192.168.10.0/24"`` (empty, the default: no proxy is trusted).

- When the TCP peer is a trusted proxy, the client is the right-most address of ``X-Forwarded-For``
  that is not itself a trusted proxy (what the nearest untrusted hop was seen as: the addresses left of
  it were written by the client and prove nothing).
- From any other peer ``X-Forwarded-For`` is ignored: a forged one never changes who the client is.
- Every forwarded header (``X-Forwarded-*``, ``Forwarded``, ``X-Real-IP``) is removed before the app
  sees the request, from a trusted proxy too: links are built from ``PUBLIC_URL``, never from them.

``ForwardedClient`` (installed on every app by ``common.web.make_app``) sets ``REMOTE_ADDR`` to the
client under both servers (waitress for ``up``, gunicorn for ``serve``); the servers' own per-peer
bounds ask ``proxies_of(app)`` (``common.peer_limits``, ``harness.gunicorn_worker``).
"""
from __future__ import annotations

import ipaddress
import os

ENV = "SPOTICAR_TRUSTED_PROXIES"
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX", "HTTP_X_FORWARDED_BY", "HTTP_FORWARDED",
                     "HTTP_X_REAL_IP")


def _address(text: str):
    """An IP address from an ``X-Forwarded-For`` item ("1.2.3.4", "1.2.3.4:5678", "[::1]:80"), or None."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class TrustedProxies:
    """The proxies whose ``X-Forwarded-For`` is believed (networks); empty: none."""

    def __init__(self, networks=()):
        self.networks = tuple(networks)

    @classmethod
    def parse(cls, value) -> TrustedProxies:
        """From "a, b c" or a list of addresses or CIDR networks; a French ``ValueError`` for a bad one."""
        items = value.replace(",", " ").split() if isinstance(value, str) else list(value or ())
        networks = []
        for item in items:
            try:
                networks.append(ipaddress.ip_network(str(item).strip(), strict=False))
            except ValueError:
                raise ValueError(f"TRUSTED_PROXIES ({ENV}) : « {item} » n'est ni une adresse IP ni un réseau "
                                 "(CIDR, par exemple 10.0.0.0/8).") from None
        return cls(networks)

    def __bool__(self) -> bool:
        return bool(self.networks)

    def trusts(self, address) -> bool:
        """Whether ``address`` (text or ``ipaddress`` object) is a trusted proxy."""
        if not self.networks:
            return False
        if isinstance(address, str):
            address = _address(address)
        if address is None:
            return False
        if getattr(address, "ipv4_mapped", None):  # "::ffff:10.0.0.5" on a dual-stack socket
            address = address.ipv4_mapped
        return any(address in network for network in self.networks)

    def client(self, peer: str, forwarded_for: str | None) -> str:
        """Who the client is: ``peer`` (the TCP peer), or when it is a trusted proxy the right-most
        address of ``forwarded_for`` not trusted itself. A malformed item stops the walk at the last
        hop known (a trusted proxy's address); every item trusted: the left-most one."""
        if not forwarded_for or not self.trusts(peer):
            return peer
        client = peer
        for item in reversed(forwarded_for.split(",")):
            address = _address(item)
            if address is None:
                return client
            client = str(address)
            if not self.trusts(address):
                return client
        return client


NO_PROXY = TrustedProxies()


def trusted_proxies(config) -> TrustedProxies:
    """The app's ``TRUSTED_PROXIES``, else ``SPOTICAR_TRUSTED_PROXIES``, else none."""
    value = config.get("TRUSTED_PROXIES")
    if value is None:
        value = os.environ.get(ENV, "")
    return TrustedProxies.parse(value)


def proxies_of(app) -> TrustedProxies:
    """The proxies ``app`` trusts (``make_app`` keeps them); none for any other WSGI callable."""
    return getattr(app, "extensions", {}).get("trusted_proxies") or NO_PROXY


class ForwardedClient:
    """Wraps ``app.wsgi_app``: ``REMOTE_ADDR`` is the client (see the module's docstring), the forwarded
    headers are gone; the TCP peer stays in ``spoticar.peer``."""

    def __init__(self, wsgi_app, proxies: TrustedProxies):
        self.wsgi_app, self.proxies = wsgi_app, proxies

    def __call__(self, environ, start_response):
        forwarded_for = environ.get("HTTP_X_FORWARDED_FOR")
        for name in FORWARDED_HEADERS:
            environ.pop(name, None)
        peer = environ.get("REMOTE_ADDR") or ""
        environ["spoticar.peer"] = peer
        if forwarded_for and self.proxies:
            environ["REMOTE_ADDR"] = self.proxies.client(peer, forwarded_for)
        return self.wsgi_app(environ, start_response)
