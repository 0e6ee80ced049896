"""One ``Journal`` per Flask app: its settings, its store, and the process-wide lookup by app name."""
from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

import orjson

from common.journal import redact
from common.journal.capture import request_headers, settle
from common.journal.schema import mark_of
from common.journal.store import UNBOUND, JournalStore, Later
from common.settings import setting as _setting

DEFAULT_EXCLUDE = ("/__admin/", "/static/", "/favicon.ico", "/healthz", "/readyz")
_BY_NAME: dict[str, Journal] = {}
log = logging.getLogger("spoticar.journal")
_LOCK = threading.Lock()
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one encoder: ``json.dumps`` builds one a call


def to_json(part: dict) -> bytes:
    """A request or response part as JSON, UTF-8 bytes (stored as they are: ``schema.entries_insert``):
    orjson (a page's body in a quarter of the standard encoder's time — it escaped each of its 16 KiB in
    Python's slow path); a text orjson refuses (a lone surrogate, not UTF-8) goes through the standard
    encoder, UTF-8 too (an accented value is stored as typed, where an RGPD erasure looks for it) but for
    the lone surrogates, which have no UTF-8: each escaped as JSON's ``\\udXXX``, read back as it was.
    No spaces between items."""
    try:
        return orjson.dumps(part)
    except TypeError:
        return _JSON.encode(part).encode("utf-8", "backslashreplace")


def _pairs(flat: tuple):
    """``(name, value, name, value…)`` as pairs."""
    values = iter(flat)
    return zip(values, values)


class Journal:
    """The journal of one app (``app.extensions["journal"]``).

    Settings (app config, else environment, else default):
    ``JOURNAL_ENABLED`` / ``SPOTICAR_JOURNAL`` (on), ``JOURNAL_MAX_ENTRIES`` /
    ``SPOTICAR_JOURNAL_MAX_ENTRIES`` (10,000), ``JOURNAL_MAX_AGE`` / ``SPOTICAR_JOURNAL_MAX_AGE``
    (seconds, 7 days), ``JOURNAL_BODY_LIMIT`` / ``SPOTICAR_JOURNAL_BODY_LIMIT`` (16,384 bytes),
    ``JOURNAL_QUEUE_SIZE`` (10,000 entries waiting to be written), ``JOURNAL_EXCLUDE`` (path prefixes
    not journalled), ``JOURNAL_MARK_HEADER`` (the header whose value, set by the app on an exchange,
    is indexed: ``query(header=(that name, value))`` reads an index instead of every exchange's text).
    """

    def __init__(self, name: str, config):
        self.name = name
        self.enabled = _setting(config, "JOURNAL_ENABLED", "SPOTICAR_JOURNAL", True, bool)
        self.body_limit = _setting(config, "JOURNAL_BODY_LIMIT", "SPOTICAR_JOURNAL_BODY_LIMIT", 16 * 1024)
        self.exclude = tuple(config.get("JOURNAL_EXCLUDE") or DEFAULT_EXCLUDE)
        self.store = JournalStore(
            name,
            max_entries=_setting(config, "JOURNAL_MAX_ENTRIES", "SPOTICAR_JOURNAL_MAX_ENTRIES", 10000),
            max_age=_setting(config, "JOURNAL_MAX_AGE", "SPOTICAR_JOURNAL_MAX_AGE", 7 * 24 * 3600, float),
            queue_size=_setting(config, "JOURNAL_QUEUE_SIZE", "SPOTICAR_JOURNAL_QUEUE_SIZE", 10000),
            mark_header=config.get("JOURNAL_MARK_HEADER"))
        self.store.build, self.store.settle = self._build, self._settle
        self.exporter = None  # set by common.journal.otel when OTEL_EXPORTER_OTLP_ENDPOINT is set
        self._inflight: dict[object, int] = {}  # requests being served → their thread
        self.peers = None  # the other workers of this app (``JOURNAL_PEERS``: several processes)
        if self.enabled and config.get("JOURNAL_PEERS") and config.get("DATA_DIR"):
            from common.journal.peers import FOLDER, Peers
            self.peers = Peers(Path(config["DATA_DIR"]) / FOLDER, self.flush_local).start()

    def begin(self) -> object:
        """Mark a request as being served (its entry is not queued yet); returns a token for ``end``.

        A plain dict (its set and pop are atomic): no lock nor wake-up on every request; ``flush``,
        which only readers call, polls it instead."""
        token = object()
        self._inflight[token] = threading.get_ident()
        return token

    def end(self, token) -> None:
        self._inflight.pop(token, None)

    def excluded(self, path: str) -> bool:
        return path.startswith(self.exclude)

    def attach(self, db) -> None:
        """Store entries in ``db`` (the app's ``common.db.Database``)."""
        self.store.attach(db)

    def close(self) -> None:
        """The app is done (its database disposed): write what is queued, end the writer thread, stop
        answering the other workers, close the journal's own SQLite file. Without it, each app a
        test process makes and stops left its writer thread and open file behind until the exit."""
        self.store.close()
        if self.peers is not None:
            self.peers.close()
        self.store.dispose()

    def record(self, *, request: dict, response: dict, **fields) -> None:
        """Queue one entry (fields of the entry contract; ``time`` a naive UTC datetime)."""
        self.store.put(self._row(request, response, fields))

    def record_later(self, later: Later) -> None:
        """Queue one exchange as captured: the writer thread redacts it and builds its entry."""
        self.store.put(later)

    def _settle(self, later: Later) -> None:
        settle(later, self.body_limit, self._bound_in_memory)

    def _bound_in_memory(self, bdc: str):
        return self.store.trace_for_bdc(bdc, memory_only=True)

    def _build(self, later: Later) -> dict:
        limit = self.body_limit
        req_body, req_cut = redact.body(later.req_raw, later.req_type, later.req_size, limit)
        res_body, res_cut = (redact.body(later.res_raw, later.res_type, later.res_size, limit)
                             if later.res_kept else ("", False))
        req_headers = (request_headers(later.req_headers) if type(later.req_headers) is dict
                       else redact.headers(_pairs(later.req_headers)))
        return self._row({"headers": req_headers, "body": req_body, "body_truncated": req_cut},
                         {"headers": redact.flat_headers(later.res_headers), "body": res_body,
                          "body_truncated": res_cut}, later.fields)

    def _row(self, request: dict, response: dict, fields: dict) -> dict:
        row = {**fields, "request": to_json(request), "response": to_json(response),
               "mark": mark_of(fields["direction"], request, response, self.store.mark_header)}
        if self.exporter is not None:
            self.exporter.export(self.name, fields, request, response)
        return row

    def trace_for_bdc(self, bdc: str, *, memory_only: bool = False) -> tuple[str, str | None] | None:
        """``(trace_id, tracestate)`` the declaration ``bdc`` started with here, or None."""
        return self.store.trace_for_bdc(bdc, memory_only=memory_only)

    def query(self, **filters) -> list[dict]:
        self.flush()
        return self.store.query(**filters)

    def flush(self, timeout: float = 10.0) -> bool:
        """Have every entry answered before this call written, by this worker and the app's other
        workers (``JOURNAL_PEERS``): a client that got its answer then reads the journal finds its
        entry, whichever worker served it. True when nothing answered before is left unwritten."""
        if self.peers is None:
            return self.flush_local(timeout)
        pending = self.peers.ask()  # the others flush meanwhile
        done = self.flush_local(timeout)
        return self.peers.wait(pending, timeout) and done

    def flush_local(self, timeout: float = 10.0) -> bool:
        """Wait for this worker's requests under way (other than the caller's own) to be queued,
        then for its queue to be written."""
        me = threading.get_ident()
        waiting = {token for token, thread in list(self._inflight.items()) if thread != me}
        deadline = time.monotonic() + min(timeout, 5.0)
        while waiting and time.monotonic() < deadline:
            time.sleep(0.002)
            waiting &= self._inflight.keys()
        return self.store.flush(timeout)


# -- the app's binding look-up ----------------------------------------------------------------------
def bind_lookup(app, lookup, *, answers: bool = False) -> None:
    """Let ``app``'s journal ask the app for a declaration's trace when this worker's memory has none:
    ``lookup(bdc)`` returns ``(trace_id, tracestate)``, ``UNBOUND`` when no trace can be bound to that
    BDC in this app (the miss is concluded without another query), or None (the journal's own table
    decides). The app stores the binding in the transaction that made the BDC, so a worker other than
    the one that answered finds it at once — the journal's table has it only once that worker's writer
    has flushed. One cheap indexed query; a failing look-up counts as None. ``answers``: also asked
    for a BDC found only in an answer (a DMS's order page shows it; the centralisateur's hand-off
    answer, which makes it, is not slowed by a query)."""
    journal = journal_of(app)
    if journal is None:
        return

    def guarded(bdc: str):
        try:
            return lookup(bdc)
        except Exception:
            log.warning("journal %s : recherche de la trace du BDC %s impossible", journal.name, bdc, exc_info=True)
            return None
    journal.store.lookup, journal.store.lookup_answers = guarded, answers


def binding_of(row) -> tuple | object | None:
    """A look-up's answer from the ``(trace_id, tracestate)`` row of the record that holds the BDC, or
    None for no such record: ``UNBOUND`` then; None for a record stored before its trace was."""
    if row is None:
        return UNBOUND
    return (row[0], row[1]) if row[0] else None


def register(journal: Journal) -> None:
    with _LOCK:
        _BY_NAME[journal.name] = journal


def journal_of(app_or_name=None) -> Journal | None:
    """The journal of a Flask app, of an app name (latest app of that name in this process), or of
    the current app; None when there is none."""
    if isinstance(app_or_name, str):
        return _BY_NAME.get(app_or_name)
    if app_or_name is None:
        from flask import current_app, has_app_context
        if not has_app_context():
            return None
        app_or_name = current_app._get_current_object()
    return getattr(app_or_name, "extensions", {}).get("journal")
