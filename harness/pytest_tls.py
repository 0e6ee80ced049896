"""pytest plugin: every httpx client of the test process built with the default certificate checks
(``httpx.get(…)``, ``httpx.Client()`` without ``verify=``) shares one TLS context, as the apps' own
clients share ``spoticar_handoff.tls.tls_context``.

httpx otherwise builds a context per client — ~30 ms of CPU loading the CA bundle, even for a plain
http:// call — and the suites' helpers, readiness polls and tests make one-off calls by the hundred
(a test route, ``/healthz`` every 0.1 s while a server starts): ~500 contexts in the centralisateur,
security and journal suites alone. The shared context is the one httpx builds by default (same CA
bundle and checks), one per environment (SSL_CERT_FILE/SSL_CERT_DIR as they are when the client is
built, or none for ``trust_env=False``); a client given its own ``verify=`` or a certificate gets its
own as before.
"""
from __future__ import annotations

import functools
import os

from httpx._transports import default as _transport

_create = _transport.create_ssl_context


@functools.cache
def _context(trust_env: bool, cert_file: str | None, cert_dir: str | None):
    """The default context for one environment: a client that reads SSL_CERT_FILE/SSL_CERT_DIR gets
    the bundle they name now, one that does not (``trust_env=False``) httpx's own."""
    return _create(verify=True, cert=None, trust_env=trust_env)


def _shared_context(verify=True, cert=None, trust_env=True):
    if verify is True and cert is None:
        env = (os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")) if trust_env else (None, None)
        return _context(bool(trust_env), *env)
    return _create(verify=verify, cert=cert, trust_env=trust_env)


def pytest_configure(config):
    _transport.create_ssl_context = _shared_context
