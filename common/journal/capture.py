"""Capture of the exchanges an app serves: a WSGI middleware around the Flask app.

It reads (or starts) the trace context, tees the request body and the response body up to the body
limit, and hands a redacted entry to the journal once the response is sent. Anything going wrong here
is logged and swallowed: the journal never changes what the client gets.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import time
from itertools import chain
from operator import itemgetter

from common.journal import context, redact
from common.journal.store import Later

log = logging.getLogger("spoticar.journal")
access_log = logging.getLogger("spoticar.access")

BDC = re.compile(r"\bSP[0-9A-Z]{7}[0-9]{9}\b")
BDC_FIELD = re.compile(r'"bdc_number"\s*:\s*"(SP[0-9A-Z]{7}[0-9]{9})"')


BDC_FIELD_BYTES = re.compile(BDC_FIELD.pattern.encode())
BDC_BYTES = re.compile(BDC.pattern.encode())


def find_bdc(url: str, location: str | None, *bodies: str | bytes) -> str | None:
    """The numéro de BDC an exchange is about: in its URL, its redirect, or a ``bdc_number`` field
    of a body (text, or the raw bytes of a text body: the field is ASCII, redaction keeps it)."""
    for text in (url, location or ""):
        found = BDC.search(text)
        if found:
            return found.group(0)
    for text in bodies:
        if not text:
            continue
        found = (BDC_FIELD_BYTES if type(text) is bytes else BDC_FIELD).search(text)
        if found:
            return found.group(1) if type(text) is str else found.group(1).decode()
    return None


_NAMES: dict[str, str] = {}  # WSGI key → header name (HTTP_USER_AGENT → User-Agent)


def _header_name(key: str) -> str:
    name = _NAMES.get(key)
    if name is None:
        name = key[5:].replace("_", "-").title()
        if len(_NAMES) < 1000:
            _NAMES[key] = name
    return name


class _TeeInput:
    """``wsgi.input`` that keeps a copy of the first ``limit`` bytes the app reads — the chunks read
    themselves (bytes: no copy) until ``limit`` is passed."""

    def __init__(self, stream, limit: int):
        self._stream, self._limit = stream, limit
        self._chunks: list[bytes] = []
        self._size = 0  # bytes in ``_chunks``
        self.seen = 0

    @property
    def kept(self) -> bytes:
        """The body's first bytes read (``limit`` + 1 at most: one more tells it was cut)."""
        chunks = self._chunks
        kept = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        return bytes(kept[:self._limit + 1] if len(kept) > self._limit + 1 else kept)

    def _keep(self, data: bytes) -> bytes:
        self.seen += len(data)
        if data and self._size <= self._limit:
            self._chunks.append(data)
            self._size += len(data)
        return data

    def read(self, *args):
        return self._keep(self._stream.read(*args))

    def readline(self, *args):
        return self._keep(self._stream.readline(*args))

    def readlines(self, *args):
        return [self._keep(line) for line in self._stream.readlines(*args)]

    def __iter__(self):
        for line in self._stream:
            yield self._keep(line)


class _NoBody:
    """What ``_TeeInput`` keeps of a request without a body."""

    kept = b""
    seen = 0


_NO_BODY = _NoBody()


class _Body:
    """The response iterable, passed through untouched, with its first bytes kept for the journal."""

    def __init__(self, iterable, limit: int, done):
        self._iterable, self._limit, self._done = iterable, limit, done
        self._chunks: list[bytes] = []  # the chunks themselves (no copy) until ``limit`` is passed
        self.size = 0

    @property
    def kept(self) -> bytes:
        """The body's first bytes (``limit`` + 1 at most: one more tells it was cut)."""
        kept = bytes(self._chunks[0]) if len(self._chunks) == 1 else b"".join(self._chunks)
        return kept[:self._limit + 1] if len(kept) > self._limit + 1 else kept

    def __iter__(self):
        for chunk in self._iterable:
            if self.size <= self._limit:
                self._chunks.append(chunk)
            self.size += len(chunk)
            yield chunk
        self._finish()  # a test client may never close(): the body is complete now

    def _finish(self):
        done, self._done = self._done, None
        if done is not None:
            done(self)

    def close(self):
        try:
            if hasattr(self._iterable, "close"):
                self._iterable.close()
        finally:
            self._finish()


class JournalMiddleware:
    """Wraps ``app.wsgi_app``: trace context in, one access-log line and one journal entry out."""

    def __init__(self, wsgi_app, journal):
        self.wsgi_app = wsgi_app
        self.journal = journal

    def __call__(self, environ, start_response):
        journal = self.journal
        path = environ.get("PATH_INFO", "")
        try:
            ctx = context.from_headers(environ.get("HTTP_TRACEPARENT"), environ.get("HTTP_TRACESTATE"))
            if not ctx.from_caller and journal.enabled:
                bound = BDC.search(path)
                trace = journal.trace_for_bdc(bound.group(0)) if bound else None
                if trace:  # a browser page of a declaration joins the declaration's trace
                    ctx = ctx.adopt(trace)
            recording = journal.enabled and not journal.excluded(path)
            tee = inflight = None
            if recording:
                length = environ.get("CONTENT_LENGTH")
                if (length and length != "0") or "HTTP_TRANSFER_ENCODING" in environ:
                    tee = _TeeInput(environ["wsgi.input"], journal.body_limit)
                    environ["wsgi.input"] = tee
                else:  # no body (a page, a redirect): nothing to keep a copy of
                    tee = _NO_BODY
                inflight = journal.begin()
        except Exception:
            log.exception("journal : contexte de trace illisible")
            return self.wsgi_app(environ, start_response)
        started, wall = time.perf_counter(), dt.datetime.now(dt.UTC).replace(tzinfo=None)
        response: dict = {}

        def _start_response(status, headers, exc_info=None):
            response["status"], response["headers"] = status, headers
            return start_response(status, headers, exc_info)

        token = context._current.set(ctx)
        try:
            result = self.wsgi_app(environ, _start_response)
            ctx = context.current() or ctx  # a view may have moved the request into another trace
        except BaseException:
            if inflight is not None:
                journal.end(inflight)
            raise
        finally:
            context._current.reset(token)

        def _done(body: _Body) -> None:
            try:
                elapsed = (time.perf_counter() - started) * 1000
                status = int(str(response.get("status", "0")).split(" ", 1)[0] or 0)
                if access_log.isEnabledFor(logging.INFO):  # else not even its fields are gathered
                    access_log.info("%s %s %s %s %.1fms trace=%s", journal.name, environ.get("REQUEST_METHOD"),
                                    path, status, elapsed, ctx.trace_id,
                                    extra={"app": journal.name, "method": environ.get("REQUEST_METHOD"),
                                           "path": path, "status": status, "duration_ms": round(elapsed, 1),
                                           "trace_id": ctx.trace_id})
                if recording:
                    self._record(environ, tee, response, body, ctx, wall, elapsed, status)
            except Exception:
                log.exception("journal : entrée non enregistrée")
            finally:
                if inflight is not None:
                    journal.end(inflight)

        return _Body(result, journal.body_limit if recording else 0, _done)

    def _record(self, environ, tee: _TeeInput, response, body: _Body, ctx, wall, elapsed, status):
        """The exchange queued as captured (``store.Later``): its headers and bodies redacted, and its
        numéro de BDC, trace binding and URL found (``settle``), later — by the writer for a whole
        batch, or by the first request asking for a BDC's trace meanwhile."""
        journal, limit = self.journal, self.journal.body_limit
        length = environ.get("CONTENT_LENGTH") or ""
        total = int(length) if length.isdigit() else tee.seen
        kept = tee.kept
        if len(kept) < min(total, limit + 1):
            try:  # the app did not read it all (a 413, a 401 before parsing): keep what the journal may
                tee.read(min(total, limit + 1) - len(kept))
            except Exception:
                pass
            kept = tee.kept
        # the request's headers as WSGI has them, picked and redacted by the writer (``request_headers``):
        # the environ copied in one C loop (a filter in Python cost the request ~20× more), less the
        # server's and the framework's objects, which the entry must not keep alive while it waits
        http = environ.copy()
        for key in _OBJECTS:
            http.pop(key, None)
        req_type = environ.get("CONTENT_TYPE")
        fields = {"time": wall, "direction": "in", "method": environ.get("REQUEST_METHOD", "")[:16],
                  "status": status, "duration_ms": round(elapsed, 2), "trace_id": ctx.trace_id,
                  "span_id": ctx.span_id, "bdc": None, "tracestate": ctx.tracestate}
        target = (environ.get("wsgi.url_scheme", "http"), environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
                  environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), ctx.from_caller)
        journal.record_later(Later(fields, http, kept, req_type, total,
                                   tuple(chain.from_iterable(response.get("headers") or ())), body.kept, None,
                                   body.size, target=target))


def may_carry(later: Later, bdc: str, raw: bytes) -> bool:
    """Whether settling the served exchange ``later`` may find the numéro de BDC ``bdc`` (``raw``: its
    bytes): ``find_bdc`` reads it as such in the path and query, the redirect or a body — an exchange
    holding it nowhere (most of a busy queue) binds nothing for it and is left to the writer."""
    _scheme, _host, raw_path, query, _from_caller = later.target
    # bodies searched with ``find``: ``bytes in bytes`` makes and drops a TypeError at each call
    # (``common.json_checks.json_has_nul``), here for each exchange queued
    if bdc in raw_path or bdc in query or later.req_raw.find(raw) != -1 or later.res_raw.find(raw) != -1:
        return True
    return any(bdc in value for value in later.res_headers[1::2])


def numbers_in(later: Later) -> set[str]:
    """Every numéro de BDC settling the served exchange ``later`` may bind (``find_bdc`` returns the
    first it meets: one of these) — more than one for a list (« bdc_number » after « bdc_number »)."""
    _scheme, _host, raw_path, query, _from_caller = later.target
    found = set(BDC.findall(raw_path)) | set(BDC.findall(query))
    for value in later.res_headers[1::2]:
        found.update(BDC.findall(value))
    for raw in (later.req_raw, later.res_raw):
        if raw:
            found.update(number.decode() for number in BDC_BYTES.findall(raw))
    return found


def settle(later: Later, limit: int, trace_for_bdc) -> None:
    """Complete a served exchange's fields (``store.Later.target``): its redacted path and URL, its
    numéro de BDC (in its URL, its redirect or a text body) and, for a BDC already bound to a trace and
    a request that came without a ``traceparent``, that trace (the declaration link's redirect joins
    its sale's trace). ``trace_for_bdc(bdc)`` is the store's memory-only look-up."""
    scheme, host, raw_path, query, from_caller = later.target
    path = _redacted(raw_path)
    res_type = location = None
    flat = later.res_headers
    for at in range(0, len(flat) - 1, 2):
        lowered = flat[at].lower()
        if lowered == "content-type":
            if res_type is None:
                res_type = flat[at + 1]
        elif lowered == "location" and location is None:
            location = flat[at + 1]
    later.res_type = res_type
    fields = later.fields
    req_raw, res_raw = later.req_raw, later.res_raw
    bdc = find_bdc(path + "?" + query, location,
                   req_raw[:limit] if req_raw and redact.is_text(later.req_type) else None,
                   res_raw[:limit] if res_raw and redact.is_text(res_type) else None)
    if bdc and not from_caller:
        bound = trace_for_bdc(bdc)
        if bound and bound[0] != fields["trace_id"]:  # the declaration link's redirect: join its trace
            fields["trace_id"], fields["tracestate"] = bound[0], bound[1] or fields["tracestate"]
    fields["path"], fields["bdc"] = redact.cut(path), bdc
    fields["url"] = redact.cut(_redacted(f"{scheme}://{host}{raw_path}{'?' + query if query else ''}", path, host,
                                         query))
    later.target = None


# a request's raw path or URL (WSGI's latin-1 text) → as the journal keeps it, when redaction left it
# as it was (never a link's token): most exchanges are to a few paths (hand-offs, an app's pages)
_KEPT: dict[str, str] = {}
_KEPT_MAX = 4096
_KEPT_LENGTH = 512


def _redacted(raw: str, path: str | None = None, host: str = "", query: str = "") -> str:
    """``raw`` (a path; or a URL whose redacted ``path``, ``host`` and ``query`` are given) decoded from
    WSGI's latin-1 and redacted (``redact.url``)."""
    kept = _KEPT.get(raw)
    if kept is not None:
        return kept
    if path is None:
        kept = redact.url(redact.decode(raw.encode("latin-1", "backslashreplace")))
    else:
        scheme = raw[:raw.index("://") + 3]
        kept = redact.url(f"{scheme}{redact.decode(host.encode('latin-1', 'backslashreplace'))}{path}"
                          f"{'?' + redact.decode(query.encode('latin-1', 'backslashreplace')) if query else ''}")
    # nothing redacted, and short: a client's 100 KB paths are not kept thousands at a time
    if len(raw) <= _KEPT_LENGTH and kept == redact.decode(raw.encode("latin-1", "backslashreplace")):
        if len(_KEPT) >= _KEPT_MAX:
            _KEPT.clear()
        _KEPT[raw] = kept
    return kept


def request_headers(http: dict) -> dict[str, str]:
    """A served request's headers (``HTTP_*``, ``CONTENT_TYPE`` and ``CONTENT_LENGTH`` of its WSGI
    environ, or of a copy of it: nothing else is looked at) by their names, redacted.

    Which keys are headers, and their names, are found once per shape of environ (its keys in order:
    a client sends the same headers request after request) and their values then picked in one C call
    (``itemgetter``): judging each of the environ's ~25 keys in Python was half of a hand-off's entry."""
    keys = tuple(http)
    picked = _PICKED.get(keys)
    if picked is None:
        wanted = [key for key in keys if key.startswith("HTTP_")]
        picked = (tuple(_NAMES.get(key) or _header_name(key) for key in wanted),
                  itemgetter(*wanted) if len(wanted) > 1 else None, wanted[0] if len(wanted) == 1 else None)
        if len(_PICKED) >= _PICKED_MAX:
            _PICKED.clear()
        _PICKED[keys] = picked
    names, getter, single = picked
    values = getter(http) if getter is not None else (http[single],) if single is not None else ()
    headers = redact.headers(zip(names, values))
    for key, name in _CONTENT_HEADERS:
        value = http.get(key)
        if value:
            text = _CONTENT_VALUES.get(value)
            if text is None:
                text = redact.decode(value.encode("latin-1"))
                if len(_CONTENT_VALUES) < 1000 and len(value) <= 200:  # a few types, lengths
                    _CONTENT_VALUES[value] = text
            headers[name] = text
    return headers


# an environ's keys, in order → (its headers' names, a getter of their values — or the one key of a
# single header); a few shapes an app's clients send, bounded against a client varying its headers
_PICKED: dict[tuple, tuple] = {}
_PICKED_MAX = 256
_CONTENT_HEADERS = (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length"))
_CONTENT_VALUES: dict[str, str] = {}  # WSGI's CONTENT_TYPE or CONTENT_LENGTH → as kept
# what a served request's environ holds besides text (waitress's, werkzeug's, Flask's objects)
_OBJECTS = ("wsgi.input", "wsgi.errors", "wsgi.file_wrapper", "wsgi.version", "waitress.client_disconnected",
            "werkzeug.request", "werkzeug.debug.preserve_context", "werkzeug.socket", "gunicorn.socket")
