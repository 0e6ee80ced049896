"""Malformed HTTP, sent byte for byte to every app: bad Content-Length, NUL in a header, invalid
UTF-8 in the path, broken chunks, huge headers; forged or oversized Host, Cookie, traceparent; paths
out of the static folders.
Each is refused with a 4xx in French (the server's own refusals too) or served normally; never a 5xx,
a stack trace or a dropped connection."""
from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest

from common.peer_limits import SERVER_MESSAGES
from harness.apps import available_apps

pytestmark = pytest.mark.centralisateur

APPS = [spec.name for spec in available_apps()]
CLOSE = b"Connection: close\r\n\r\n"

# refused by the HTTP server itself, before any app: (request, expected status)
REFUSED = {
    "negative Content-Length": (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n" + CLOSE, 400),
    "textual Content-Length": (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n" + CLOSE, 400),
    "two Content-Lengths": (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n"
                            + CLOSE + b"abcde", 400),
    "NUL in a header": (b"GET / HTTP/1.1\r\nHost: a\x00b\r\n" + CLOSE, 400),
    "invalid UTF-8 in the path": (b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n" + CLOSE, 400),
    "broken chunk": (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + CLOSE
                     + b"zz\r\nabc\r\n0\r\n\r\n", 400),
    "huge Content-Length": (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + b"9" * 30 + b"\r\n" + CLOSE, 413),
}

# reach the app: any answer but a 5xx
SERVED = {
    "huge Host": b"GET / HTTP/1.1\r\nHost: " + b"a" * 9000 + b"\r\n" + CLOSE,
    "Host with a bad port": b"GET / HTTP/1.1\r\nHost: evil.example:abc\r\n" + CLOSE,
    "absolute URI of another site": b"GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n" + CLOSE,
    "HTTP/1.0 without Host": b"GET / HTTP/1.0\r\n\r\n",
    "forged session cookies": (b"GET / HTTP/1.1\r\nHost: x\r\nCookie: centralisateur_session=eyJzaWQiOiJ4In0.aa.bb;"
                               b" icare_session=..; portail_b2b_session=\xff\xfe; session=\"\r\n" + CLOSE),
    "20 kB cookie": b"GET / HTTP/1.1\r\nHost: x\r\nCookie: a=" + b"b" * 20000 + b"\r\n" + CLOSE,
    "traceparent of garbage": (b"GET / HTTP/1.1\r\nHost: x\r\ntraceparent: 00-" + b"z" * 32 + b"-" + b"0" * 16
                               + b"-01\r\ntracestate: " + b"a=b," * 5000 + b"\r\n" + CLOSE),
    "50 kB traceparent": b"GET / HTTP/1.1\r\nHost: x\r\ntraceparent: " + b"0" * 50000 + b"\r\n" + CLOSE,
    "all-zero traceparent": (b"GET / HTTP/1.1\r\nHost: x\r\ntraceparent: 00-" + b"0" * 32 + b"-" + b"0" * 16
                             + b"-01\r\n" + CLOSE),
    "non-ASCII traceparent": (b"GET / HTTP/1.1\r\nHost: x\r\ntraceparent: 00-\xc3\xa9af7651916cd43dd8448eb211c8031"
                              b"-b7ad6b7169203331-01\r\n" + CLOSE),
    "invalid UTF-8 in the query": b"GET /?page=%ff%fe&q=%00 HTTP/1.1\r\nHost: x\r\n" + CLOSE,
    "encoded traversal": b"GET /static/..%2f..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\n" + CLOSE,
    "20 kB path": b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n" + CLOSE,
    "unknown method": b"BREW / HTTP/1.1\r\nHost: x\r\n" + CLOSE,
    "form in an unknown charset": (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded;"
                                   b" charset=x-bogus\r\nContent-Length: 7\r\n" + CLOSE + b"email=a"),
    "garbage Accept-Language and X-Forwarded-*": (b"GET / HTTP/1.1\r\nHost: x\r\nAccept-Language: \xff\xfe;q=abc\r\n"
                                                  b"X-Forwarded-For: \xff<script>\r\nX-Forwarded-Host: evil.example\r\n"
                                                  + CLOSE),
    # path traversal out of the static folders, sent as is (an HTTP client would resolve the dots)
    **{f"traversal {path!r}": b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n" + CLOSE for path in (
        b"/static/../../../../../../etc/passwd", b"/commun/../../../../../../etc/passwd",
        b"/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", b"/commun/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd",
        b"/static/..%5c..%5c..%5c..%5cetc%5cpasswd", b"/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        b"/static//etc/passwd", b"/commun/%2fetc%2fpasswd", b"/static/....//....//....//etc/passwd")},
}


def _exchange(url: str, request: bytes) -> tuple[int, bytes, bytes]:
    """Send ``request`` as is; (status, head, body) of the answer, read until the server closes."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer, "connexion fermée sans réponse"
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head, body


@pytest.mark.parametrize("app", APPS)
def test_the_server_refuses_malformed_http_in_french(stack, app):
    for case, (request, expected) in REFUSED.items():
        status, _head, body = _exchange(stack.url(app), request)
        text = body.decode("utf-8")
        assert status == expected, f"{case}: {status}"
        assert SERVER_MESSAGES[expected] in text, f"{case}: {text!r}"
        assert "generated by" not in text and "Bad Request" not in text, f"{case}: {text!r}"


@pytest.mark.parametrize("app", APPS)
def test_hostile_headers_never_reach_a_5xx(stack, app):
    for case, request in SERVED.items():
        status, head, body = _exchange(stack.url(app), request)
        assert status < 500, f"{case}: {status} {body[:300]!r}"
        assert b"Traceback" not in body and b"evil.example" not in head, case
        assert b"root:" not in body, case  # no file outside the app's static folders
