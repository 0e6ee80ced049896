"""The process's one TLS context for httpx clients (no pydantic: readiness checks and test helpers
import it without the SDK's models)."""
from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every client of the process: without it httpx builds one per client
    (about 30 ms of CPU loading the CA bundle), even for plain http:// calls. Pass it as ``verify=``."""
    return httpx.create_ssl_context()
