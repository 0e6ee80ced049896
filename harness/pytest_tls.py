"""pytest plugin: every httpx client of the test process built with the default certificate checks
(``httpx.get(…)``, ``httpx.Client()`` without ``verify=``) uses the process's one TLS context
(``spoticar_handoff.client.tls_context``), as the apps' own clients do.

httpx otherwise builds a context per client — ~30 ms of CPU loading the CA bundle, even for a plain
http:// call — and the suites' helpers, readiness polls and tests make one-off calls by the hundred
(a test route, ``/healthz`` every 0.1 s while a server starts): ~500 contexts in the centralisateur,
security and journal suites alone. The shared context is the one httpx builds by default (same CA
bundle and checks); a client given its own ``verify=``, a certificate, or SSL_CERT_FILE/SSL_CERT_DIR
gets its own as before.
"""
from __future__ import annotations

import os

from httpx._transports import default as _transport

_create = _transport.create_ssl_context


def _shared_context(verify=True, cert=None, trust_env=True):
    if verify is True and cert is None and not (trust_env and (os.environ.get("SSL_CERT_FILE")
                                                                or os.environ.get("SSL_CERT_DIR"))):
        from spoticar_handoff.client import tls_context
        return tls_context()
    return _create(verify=verify, cert=cert, trust_env=trust_env)


def pytest_configure(config):
    _transport.create_ssl_context = _shared_context
