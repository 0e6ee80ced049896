"""Where the harness may send a request a client asked for (``callback_url``): the SSRF guard.

A DMS gives a URL; the centralisateur later POSTs a signed body there. Without a guard that URL
could point at the cloud metadata service (169.254.169.254), an internal admin page (10.x) or a
local daemon (localhost:22). Rules, checked when the URL is received *and* again at call time
(DNS may have changed in between):

- scheme http or https, a host, no user:password part, at most ``MAX_URL_LENGTH`` characters;
- every address the host resolves to is public (not loopback, private, link-local, multicast,
  reserved or unspecified), unless the URL's origin is one of ``allowed_origins`` — the origins
  configured for that DMS (a vendor's staging DMS on a private network; in demo mode the running
  simulators' own).

At call time the check is made by the connection itself (``guarded_transport``): the host is
resolved once, every address checked, and the socket opened to the address that was checked, so a
DNS answer that changes between the check and the connect (DNS rebinding) cannot slip through.

``check_url(url, allowed_origins)`` returns the URL or raises :class:`UrlRefused` (French message);
``callback_origins(config, dms)`` lists the origins an app's configuration allows for a DMS
(``DMS_CALLBACK_ORIGINS = {"tec3h": ["http://10.1.2.3:8080"]}``, plus ``URLS`` in demo mode).
"""
from __future__ import annotations

import functools
import ipaddress
import socket
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx

MAX_URL_LENGTH = 500  # the callback_url column


DEMO_ORIGINS = (" En mode démo, seules les adresses des simulateurs lancés avec lui sont autorisées : pour "
                "brancher votre propre DMS (ou le certifier), démarrez le centralisateur avec un fichier de "
                "déploiement (spoticar-harness up --config spoticar.toml) où cette origine figure dans "
                "callback_origins (spoticar-harness keys add --callback-origin).")


class UrlRefused(ValueError):
    """A URL the harness will not call; ``message`` is the French reason."""

    def __init__(self, message: str, internal: bool = False):
        super().__init__(message)
        self.message = message
        self.internal = internal  # an internal address no origin of the DMS's allowed


def refusal(config, exc: UrlRefused) -> str:
    """What to tell a DMS whose callback URL ``exc`` refused: in demo mode, an internal address also
    says how to allow one (no operator there: a deployment file)."""
    if config.get("DEMO_MODE") and exc.internal:
        return exc.message + DEMO_ORIGINS
    return exc.message


def callback_origins(config, dms: str) -> list[str]:
    """The private origins ``dms`` may be called back on: configured ones, and in demo mode the
    running simulators' own (``URLS``)."""
    allowed = list((config.get("DMS_CALLBACK_ORIGINS") or {}).get(dms, []))
    if config.get("DEMO_MODE"):
        allowed += [url for url in (config.get("URLS") or {}).values() if url]
    return allowed


def origin(url: str) -> str:
    """``scheme://host:port`` with the default port made explicit (so both spellings compare equal)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme.lower()}://{host.lower()}:{port}"


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise UrlRefused(f"Adresse de rappel injoignable : le nom {host} ne se résout pas.") from exc
    found = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if getattr(address, "ipv4_mapped", None):  # ::ffff:127.0.0.1 is 127.0.0.1
            address = address.ipv4_mapped
        found.append(address)
    return found


def _public(address) -> bool:
    return not (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
                or address.is_reserved or address.is_unspecified or not address.is_global)


def check_url(url: str, allowed_origins: Iterable[str] = ()) -> str:
    """``url`` if the harness may call it (see the module's rules); else :class:`UrlRefused`."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"L'adresse de rappel dépasse {MAX_URL_LENGTH} caractères.")
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UrlRefused("Adresse de rappel invalide.") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UrlRefused("L'adresse de rappel doit être une URL http:// ou https://.")
    if parts.username is not None or parts.password is not None:
        raise UrlRefused("L'adresse de rappel ne doit pas contenir d'identifiant ni de mot de passe.")
    if origin(url) in {origin(o) for o in allowed_origins}:
        return url
    for address in _addresses(parts.hostname, port):
        if not _public(address):
            # a vendor meets this on its first staging hand-off: say what to ask for, and from whom
            where = parts.hostname if parts.hostname == str(address) else f"{parts.hostname} ({address})"
            raise UrlRefused(f"Adresse de rappel refusée : {where} est une adresse interne. Seules les "
                             "origines configurées pour votre DMS peuvent être privées : demandez à "
                             f"l'opérateur du centralisateur d'autoriser {origin(url)} (callback_origins).",
                             internal=True)
    return url


@functools.cache
def _checked_backend() -> type:
    """The network backend class, made at the first guarded call: httpcore (and h11) are imported
    then, not when an app starts (httpx itself imports them only when a transport is made)."""
    import httpcore

    class _CheckedBackend(httpcore.SyncBackend):
        """Opens each connection to an address it has just checked (see ``guarded_transport``)."""

        def __init__(self, allowed_origins: Iterable[str]):
            self.allowed = {(parts.hostname, parts.port) for parts in map(urlsplit, map(origin, allowed_origins))}

        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            if (host.lower(), port) in self.allowed:
                return super().connect_tcp(host, port, timeout, local_address, socket_options)
            addresses = _addresses(host, port)
            for address in addresses:
                if not _public(address):
                    raise UrlRefused(f"Adresse de rappel refusée : {host} désigne une adresse interne ({address}).")
            return super().connect_tcp(str(addresses[0]), port, timeout, local_address, socket_options)

    return _CheckedBackend


def guarded_transport(allowed_origins: Iterable[str] = ()) -> httpx.HTTPTransport:
    """An httpx transport for calling a URL a client gave: the SSRF rules are applied to the address
    actually connected to (TLS still verifies the URL's host name). Pass it as ``transport=``."""
    import httpcore  # httpx with it: at the first call, not when an app starts
    import httpx

    from spoticar_handoff.tls import tls_context

    transport = httpx.HTTPTransport(verify=tls_context())
    # httpx has no public hook for the network backend: the pool is rebuilt with ours, same defaults
    transport._pool = httpcore.ConnectionPool(ssl_context=tls_context(), max_connections=100,
                                              max_keepalive_connections=20, keepalive_expiry=5.0,
                                              network_backend=_checked_backend()(allowed_origins))
    return transport
