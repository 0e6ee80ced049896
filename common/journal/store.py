"""Where an app's journal lives: two tables in the app's own database, written by a background thread.

``<app>_journal`` holds the entries; ``<app>_journal_traces`` binds trace ids to numéros de BDC, so a
query by BDC finds every entry of the traces that carried it. Writes go through a bounded queue: the
request never waits for the database, and a full queue or a failing write only loses journal lines.
"""
from __future__ import annotations

import atexit
import datetime as dt
import json
import logging
import re
import threading
import time
import weakref
from collections import OrderedDict, deque
from operator import itemgetter
from pathlib import Path

from sqlalchemy import Table, and_, bindparam, delete, event, func, or_, select, true, update

from common.journal.schema import (BINDING_COLUMNS, ENTRY_COLUMNS, MARK_LENGTH, PARTS, as_entry, bindings_insert,
                                   entries_insert, header_condition, header_names, mark_of, own_header,
                                   own_part_holds, prepared_sqlite, read_part, tables as _tables)
from common.prepared import Prepared

log = logging.getLogger("spoticar.journal")

MAX_LIMIT = 5000
_BATCH = 500
# seconds the writer gathers entries before one commit: a commit costs the app's process about 1 ms of
# CPU, an entry in a batch 0.05 ms (bench/journal.py); a reader (``flush``) never waits for it — it
# hurries the writer; a crash loses at most this much of the journal
_LINGER = 1.0
_AGE_PRUNE_EVERY = 30.0  # seconds between two age-based prunes
_ESCAPE_HEX = re.compile(r"\\u([0-9a-f]{4})")  # a JSON escape, as json.dumps writes it (lower-case)
_MISS_TTL = 2.0  # seconds a BDC found unbound is not looked up again
UNBOUND = object()  # an app's binding look-up: "no trace can be bound to this BDC here" (no other query)
_EXIT_WAIT = 5.0  # seconds the process's exit waits for each writer to write what is queued
_WRITING: weakref.WeakSet = weakref.WeakSet()  # stores whose writer thread runs


@atexit.register
def _stop_writers() -> None:
    """At the process's exit, each writer writes what is queued and ends. A daemon thread still
    running when the interpreter finalizes is ended from inside whatever it runs — in a native
    library that released the GIL (the redaction's Aho-Corasick search), that aborted the whole
    process (« FATAL: exception not rethrown », exit code 134) once in several runs."""
    for store in list(_WRITING):
        store.close(_EXIT_WAIT)


class Later:
    """An exchange as captured, queued for the writer thread to finish (redact its headers and bodies,
    write them as JSON: a page's most of the journal's cost) off the request's thread, so a small answer
    is not held up by them (waitress sends it once the request's WSGI iterable is closed). Headers are a
    served request's WSGI environ, copied without its objects (``capture.request_headers`` picks them),
    or a flat tuple ``(name, value, name, value…)``.

    A served request's exchange is queued ``settled=False``: its numéro de BDC, the trace it joins and
    its redacted URL are found later too (``capture.settle``, from ``target``), by the writer for a
    whole batch at once, or by a request asking for a BDC's trace meanwhile (``JournalStore.trace_for_bdc``
    settles first, oldest first, the queued exchanges that may carry it): the next page of a declaration
    still finds its trace at once. Done on the request's thread, those few steps cost it more than the
    whole batch's loop (code and data met once a request, not warm in the processor's caches).

    Everything in it is text, bytes, numbers, a datetime, dicts and tuples of text: objects the cyclic
    garbage collector does not track (a dict is tracked only once it holds a container; a tuple of text
    no longer after the first collection it lives through). An exchange waits up to ``_LINGER`` in the
    queue — through several collections, into the oldest generation — as this one tracked object:
    capturing it as lists of header tuples and closures was ~40 tracked objects an exchange, and the
    collections they brought on (a full one walks every object of the process) cost more than the
    journal's own work."""

    __slots__ = ("fields", "req_headers", "req_raw", "req_type", "req_size",
                 "res_headers", "res_raw", "res_type", "res_size", "res_kept", "settled", "target")

    def __init__(self, fields: dict, req_headers: dict | tuple, req_raw: bytes, req_type: str | None, req_size: int,
                 res_headers: tuple, res_raw: bytes, res_type: str | None, res_size: int, res_kept: bool = True,
                 target: tuple | None = None):
        self.fields = fields  # the entry's columns (``time``, ``trace_id``, ``bdc``…), ``tracestate``
        self.req_headers, self.req_raw, self.req_type, self.req_size = req_headers, req_raw, req_type, req_size
        self.res_headers, self.res_raw, self.res_type, self.res_size = res_headers, res_raw, res_type, res_size
        self.res_kept = res_kept  # False: no answer, or one not read (a stream): no body to show
        # what ``capture.settle`` needs, None once done (or for an exchange captured complete)
        self.target = target
        self.settled = target is None


# a positional statement's SQL → (its parameters picked from a row in one C call, the columns whose
# type converts the value: (position, processor))
_PICKS: dict[str, tuple] = {}


def _many(prepared: Prepared, session, rows: list[dict]) -> None:
    """``prepared.many(session, rows)``, each row's parameters picked by one ``itemgetter`` call where
    the driver takes them by position (SQLite): ``Prepared``'s generic loop — a dict built, then a
    tuple, a Python step per column — cost the writer ~3 µs an entry. Same SQL, same values (each
    column's bind processor applied as ``Prepared`` applies it: the entries' ``time``)."""
    sql, positional, order, steps = prepared._compiled(session.dialect)
    if not positional or len(order) < 2:  # a named-parameter driver (psycopg): the generic path
        prepared.many(session, rows)
        return
    pick = _PICKS.get(sql)
    if pick is None:
        processors = dict(steps)
        pick = _PICKS[sql] = (itemgetter(*order), tuple((at, processors[name]) for at, name in enumerate(order)
                                                        if processors.get(name) is not None))
    getter, processed = pick
    if processed:
        args = []
        for row in rows:
            values = list(getter(row))
            for at, process in processed:
                values[at] = process(values[at])
            args.append(values)
    else:
        args = list(map(getter, rows))
    Prepared._cursor(session, sql, args, many=True).close()


def _needles(values) -> set[str]:
    """``values`` as an entry may hold them: as typed, HTML-, JSON- or URL-encoded (texts under 3
    characters are no one's: never looked for)."""
    import html
    from urllib.parse import quote, quote_plus
    needles = set()
    for value in values:
        value = str(value or "")
        if len(value) < 3:
            continue
        # SQLite's LIKE folds ASCII letters only: a value with accents is also looked for in
        # capitals and in small letters, as a DMS or a dealer may have written it
        for text in {value} if value.isascii() else {value, value.upper(), value.lower()}:
            # json.dumps(text): as the standard encoder wrote an entry with a lone surrogate before
            # it wrote UTF-8 (``registry.to_json``), every accent escaped — such entries are still kept
            escaped = json.dumps(text)[1:-1]
            needles.update({text, html.escape(text), json.dumps(text, ensure_ascii=False)[1:-1],
                            escaped, quote_plus(text), quote(text)})
            if escaped != text:  # a JSON body a client sent with its accents escaped (Python's json,
                # requests: \u00e9; .NET: \u00E9), kept as it came: inside the entry's JSON, \\u00e9
                upper = _ESCAPE_HEX.sub(lambda found: "\\u" + found.group(1).upper(), escaped)
                needles.update(json.dumps(form, ensure_ascii=False)[1:-1] for form in (escaped, upper))
    return needles


def _as_words(needles: set[str]) -> re.Pattern:
    """One of ``needles`` as a whole word (no letter or digit just before or after it), any letter case."""
    return re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, sorted(needles, key=len, reverse=True)))
                      + r")(?![^\W_])", re.IGNORECASE)


class JournalStore:
    """One app's journal tables, its write queue and its writer thread."""

    def __init__(self, name: str, *, max_entries: int, max_age: float, queue_size: int,
                 mark_header: str | None = None):
        self.name = name
        self.mark_header = mark_header  # the header whose value is the entries' indexed ``mark``
        self.max_entries = max_entries
        self.max_age = dt.timedelta(seconds=max_age)
        self.db = None
        self.entries: Table | None = None
        self.traces: Table | None = None
        self.queue_size = queue_size
        self.build = None  # Later → row, set by the app's ``Journal`` (redaction and JSON)
        self.settle = None  # unsettled Later → its BDC, trace and URL in its fields (``capture.settle``)
        self._settling = threading.Lock()  # exchanges are settled one at a time, oldest first
        self._pending: deque[dict] = deque()  # entries waiting for the writer (at most queue_size)
        self._wake = threading.Event()   # set by the first entry of a batch
        self._hurry = threading.Event()  # set by a reader: write what is gathered now
        self._idle = threading.Condition()  # the writer says it is done with what it took
        # rows the writer took from the queue, and rows it is done with (written or lost): a reader
        # waits for what was queued when it asked, not for an empty queue (never, under steady traffic)
        self._taking = threading.Lock()
        self._taken = 0
        self._finished = 0
        self._thread: threading.Thread | None = None
        self._closing = False  # the process exits: write what is queued, then end the writer
        self._lock = threading.Lock()
        self._bound: OrderedDict[str, tuple] = OrderedDict()  # bdc → (trace, tracestate), newest 10,000
        self._missed: dict[str, float] = {}  # bdc → until when "not bound" is believed
        self.lookup = None  # the app's own binding look-up (``common.journal.registry.bind_lookup``)
        self.lookup_answers = False  # also asked for a BDC found in an answer (``memory_only``)
        self._written: set[tuple[str, str]] = set()  # (trace, bdc) bindings this writer has stored
        self._known_rows: int | None = None
        self._insert: Prepared | None = None  # the entries' INSERT, one executemany per batch
        self._bind_insert: dict[str, Prepared] = {}  # the bindings' INSERT, by dialect
        self._last_age_prune = 0.0
        self.dropped = 0          # entries refused by a full queue
        self.failed_writes = 0    # batches a failing write lost…
        self.failed_entries = 0   # …and their entries (both shown at /__admin/journal: never silent)

    # -- database ---------------------------------------------------------------------------------
    def attach(self, db) -> None:
        """Store in the app's database ``db``: its own tables on PostgreSQL (declared on the app's
        metadata, so ``drop_all`` drops them too); on SQLite, a companion file ``<app>-journal.sqlite3``
        beside the app's, through the same ``common.db`` layer — SQLite has one writer at a time, and
        the journal must never hold the write lock a request of the app is waiting for."""
        if db.url.startswith("sqlite:///"):
            from sqlalchemy.orm import DeclarativeBase

            from common.db import Database

            class JournalBase(DeclarativeBase):
                pass

            path = db.url[len("sqlite:///"):]
            folder = path.rsplit("/", 1)[0] if "/" in path else "."
            db = Database(prepared_sqlite(Path(folder) / f"{self.name}-journal.sqlite3"), JournalBase)

            @event.listens_for(db.engine, "connect")
            def _relaxed(dbapi_conn, _record):
                # WAL + NORMAL: a crash may lose the last journal lines, never corrupt the file;
                # the app's own data keeps FULL
                dbapi_conn.execute("PRAGMA synchronous=NORMAL")
        self._own_file = db.url.startswith("sqlite:///")
        self.db = db
        self.entries, self.traces = _tables(db.base.metadata, self.name)
        self._utf8 = db.url.startswith("sqlite")  # entries' parts given as bytes (``entries_insert``)
        self._insert = Prepared(entries_insert(self.entries, self._utf8), ENTRY_COLUMNS,
                                raw=PARTS if self._utf8 else ())
        if self._own_file:  # SQLite: the journal's own file, brought up to date like an app's (common.schema)
            added = self.db.create_all()
        else:
            added = self._create()
        if f"{self.entries.name}.mark" in added:
            self._mark_earlier_entries()

    def _create(self) -> list[str]:
        """Create the tables, or add what an earlier version's lack; what was added. Two apps of the
        same name starting on one server database (tests, several workers) may race: checking again
        finds what the other made."""
        from common import schema

        def complete() -> list[str]:
            with self.db.engine.begin() as connection:
                return schema.complete(connection, [self.entries, self.traces])
        return schema.retry_races(complete)

    def _mark_earlier_entries(self) -> None:
        """Fill the ``mark`` of the entries an earlier version wrote without it (once, when the column
        is added): those holding the mark header's name are read and given their header's value."""
        name = self.mark_header
        if not name:
            return
        e = self.entries
        with self.db.engine.begin() as connection:
            rows = connection.execute(select(e.c.id, e.c.direction, e.c.request, e.c.response).where(
                e.c.mark.is_(None), own_part_holds(e, header_names(name)))).mappings().all()
            marks = [{"m_id": row["id"], "m_mark": mark_of(row["direction"], read_part(row["request"]),
                                                          read_part(row["response"]), name)} for row in rows]
            marks = [m for m in marks if m["m_mark"] is not None]
            if marks:
                connection.execute(update(e).where(e.c.id == bindparam("m_id")).values(mark=bindparam("m_mark")),
                                   marks)
        log.info("journal %s : %d échanges marqués (%s)", self.name, len(marks), name)

    # -- writing ----------------------------------------------------------------------------------
    def put(self, row: dict | Later) -> None:
        """Queue one entry row (``request``/``response`` already JSON text), or a ``Later`` the writer
        builds; never blocks, never raises. The numéro de BDC → trace binding is remembered now, on
        the request's thread: a declaration page opened right after finds its trace.

        The hand-over costs the request a ``deque.append``: the writer is woken once per batch (the
        first entry of it), not once per entry — waking a thread is a context switch and a GIL
        hand-over, which under load cost more than the entry itself."""
        fields = row if type(row) is not Later else row.fields if row.settled else None
        if fields is not None and fields.get("bdc"):
            self._remember(fields["bdc"], (fields["trace_id"], fields.get("tracestate")))
        if len(self._pending) >= self.queue_size:
            if type(row) is Later and not row.settled and self.settle is not None:
                # lost, but a hand-off's numéro de BDC still joins its trace (the pages opened next)
                with self._settling:
                    self._settle_one(row)
            self.dropped += 1
            if self.dropped in (1, 100, 10000):
                log.warning("journal %s : file d'écriture pleine, %d entrées perdues", self.name, self.dropped)
            return
        self._pending.append(row)
        if not self._wake.is_set():
            if self._thread is None:
                self._start_writer()
            self._wake.set()

    def _start_writer(self) -> None:
        with self._lock:
            if self._thread is None and not self._closing:
                self._thread = threading.Thread(target=self._run, name=f"journal:{self.name}", daemon=True)
                self._thread.start()
                _WRITING.add(self)

    def _run(self) -> None:
        while not self._closing:
            self._wake.wait()
            self._hurry.wait(_LINGER)  # gather a batch, unless a reader is waiting for it
            self._hurry.clear()
            self._wake.clear()  # before draining: an entry put from now on wakes the next round
            self._drain()
        self._drain()  # what came while the last round wrote

    def close(self, timeout: float = _EXIT_WAIT) -> None:
        """End the writer thread once it has written what is queued (waiting at most ``timeout``)."""
        with self._lock:  # a writer starting now either sees ``_closing`` or is the one joined
            self._closing = True
            thread = self._thread
        self._hurry.set()
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def dispose(self) -> None:
        """Close the connections of the journal's own file (SQLite); on a server database the app's
        ``Database`` owns them."""
        if self.db is not None and self._own_file:
            self.db.dispose()

    def settle_pending(self) -> None:
        """Settle the exchanges queued and not settled yet (``Later``), oldest first: their numéros de
        BDC bound to their traces (``_remember``) as if each had been when it was queued."""
        with self._settling:
            for row in [row for row in list(self._pending) if type(row) is Later and not row.settled]:
                self._settle_one(row)

    def settle_for(self, bdc: str) -> None:
        """Settle, oldest first, the exchanges queued that may carry ``bdc`` (``capture.may_carry``):
        only they can bind it, and each binding depends only on the earlier ones of the same numéro.
        One of them may bind another numéro (a list: its first « bdc_number » is another's): the
        exchanges that may carry that one are settled too, before it if queued before it — else that
        numéro would join the list's trace, not its hand-off's. The others wait for the writer: a page
        asking for one declaration's trace does not settle a busy queue on its thread (160 ms with
        9,000 exchanges queued)."""
        from common.journal.capture import may_carry, numbers_in  # capture imports this module
        with self._settling:
            rows = [row for row in list(self._pending) if type(row) is Later and not row.settled]
            raw = bdc.encode()
            picked = [row for row in rows if may_carry(row, bdc, raw)]
            wanted = {bdc}
            fresh = set().union(*map(numbers_in, picked)) - wanted
            while fresh:  # rare: an exchange picked holds other numéros — those that may carry them too
                wanted |= fresh
                more = set()
                for number in fresh:
                    raw = number.encode()
                    for row in rows:
                        if may_carry(row, number, raw):
                            more |= numbers_in(row)
                fresh = more - wanted
            if len(wanted) > 1:
                raws = [(number, number.encode()) for number in wanted]
                picked = [row for row in rows if any(may_carry(row, number, raw) for number, raw in raws)]
            for row in picked:  # oldest first
                self._settle_one(row)

    def _settle_one(self, row: Later) -> None:
        """Settle one exchange (under ``_settling``) and remember its numéro de BDC's trace."""
        if row.settled:
            return
        try:
            self.settle(row)
        except Exception:  # one exchange the journal could not describe: lost, counted by ``_built``
            log.warning("journal %s : entrée non située", self.name, exc_info=True)
            row.fields = None
        row.settled = True
        fields = row.fields
        if fields is not None and fields.get("bdc"):
            self._remember(fields["bdc"], (fields["trace_id"], fields.get("tracestate")))

    def _drain(self) -> None:
        # what is there now, in batches; what comes meanwhile waits for the next round (one
        # commit for many entries, not one for each entry a slow request trickles in)
        left = len(self._pending)
        if left:
            self.settle_pending()  # every row taken below is settled (the first ``left`` are)
        while left > 0:
            with self._taking:
                rows = [self._pending.popleft() for _ in range(min(left, _BATCH))]
                self._taken += len(rows)
            taken = len(rows)
            left -= taken
            rows = [row for row in map(self._built, rows) if row is not None]
            try:
                self._write(rows)
            except Exception:  # the journal is evidence, not the product: lose the batch, keep serving
                self.failed_writes += 1
                self.failed_entries += len(rows)
                log.warning("journal %s : écriture de %d entrées impossible", self.name, len(rows),
                            exc_info=self.failed_writes == 1)
                self._known_rows = None
                self._written.clear()
            finally:
                with self._idle:
                    self._finished += taken
                    self._idle.notify_all()

    def _built(self, row: dict | Later) -> dict | None:
        if type(row) is not Later:
            return row
        try:
            if not row.settled:  # cannot be (``_drain`` settles first): settled in order nonetheless
                self.settle_pending()
            if row.fields is None:
                raise ValueError("exchange not settled")
            return self.build(row)
        except Exception:  # one exchange the journal could not describe: lost, counted, never silent
            self.failed_entries += 1
            log.warning("journal %s : entrée non construite", self.name, exc_info=self.failed_entries == 1)
            return None

    def _write(self, batch: list[dict]) -> None:
        if self.db is None or not batch:
            return
        if self._known_rows is None:
            self._create()  # after a failure: the table may have been dropped meanwhile
        if not self._utf8:  # built as UTF-8 JSON (``registry.to_json``): text for this database
            for row in batch:
                for part in PARTS:
                    if type(row[part]) is bytes:
                        row[part] = row[part].decode()
        with self.db.engine.begin() as session:
            _many(self._insert, session, batch)
            bindings = {(r["trace_id"], r["bdc"]): (r["time"], r.get("tracestate")) for r in batch
                        if r.get("bdc") and (r["trace_id"], r["bdc"]) not in self._written}
            if bindings:
                stmt = bindings_insert(session, self.traces, bindings)
                bind = self._bind_insert.get(session.dialect.name)
                if bind is None:  # one statement per dialect: compiled once, run on the driver
                    bind = self._bind_insert[session.dialect.name] = Prepared(stmt, BINDING_COLUMNS)
                if bindings:
                    _many(bind, session, [{"trace_id": t, "bdc": b, "time": when, "tracestate": state}
                                          for (t, b), (when, state) in bindings.items()])
            self._prune(session, len(batch))
        if len(self._written) > 10000:
            self._written.clear()
        self._written.update(bindings)

    def _prune(self, session, added: int) -> None:
        """Keep at most ``max_entries`` rows, none older than ``max_age``."""
        if self._known_rows is None:
            self._known_rows = session.scalar(select(func.count()).select_from(self.entries))
        else:
            self._known_rows += added
        if self._known_rows > self.max_entries:
            # the oldest rows beyond the count go, found from the oldest end: counting reads a small
            # index, and an OFFSET from the newest end read every row kept (a 16 KiB page each: ~30 ms
            # for a batch at 10,000 entries, at every batch once the journal is full)
            total = session.scalar(select(func.count()).select_from(self.entries))
            if total > self.max_entries:
                threshold = session.scalar(select(self.entries.c.id).order_by(self.entries.c.id)
                                           .offset(total - self.max_entries - 1).limit(1))
                if threshold is not None:
                    session.execute(delete(self.entries).where(self.entries.c.id <= threshold))
            self._known_rows = min(total, self.max_entries)
        if time.monotonic() - self._last_age_prune > _AGE_PRUNE_EVERY:
            self._last_age_prune = time.monotonic()
            cutoff = dt.datetime.now(dt.UTC).replace(tzinfo=None) - self.max_age
            session.execute(delete(self.entries).where(self.entries.c.time < cutoff))
            session.execute(delete(self.traces).where(self.traces.c.time < cutoff))
            self._written.clear()
            self._known_rows = session.scalar(select(func.count()).select_from(self.entries))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every entry queued before this call is written (or given up); True when none of
        them is left to write. Entries queued meanwhile are not waited for."""
        deadline = time.monotonic() + timeout
        with self._taking:  # a consistent count: the writer takes rows under this lock
            target = self._taken + len(self._pending)
        with self._idle:
            while self._finished < target:
                if self._pending:  # the writer lingers, gathering a batch: have it write now
                    if self._thread is None:
                        self._start_writer()
                    self._hurry.set()
                    self._wake.set()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(min(remaining, 0.05))
        return True

    def prune_now(self) -> None:
        """Apply both retention rules at once (tests, and ``max_age`` changes)."""
        self.flush()
        self._last_age_prune = 0.0
        self._known_rows = None
        with self.db.engine.begin() as session:
            self._prune(session, 0)

    def erase(self, values, *, names=(), companions=(), bdcs=()) -> int:
        """Delete the entries of one person (an RGPD erasure reaches the journal too); the number deleted.
        Every entry of a trace that carried one of ``bdcs`` goes (the declaration's own exchanges, its
        pages included). Beyond them, an entry goes when it holds one of ``values`` (what is that
        person's alone: an e-mail, a phone number), or one of ``names`` together with one of
        ``companions`` (a last name is many people's, a birth date or a first name too: both together
        are this person) — each as a whole word (« Martin » is not in « Martinez »), as typed, HTML-,
        JSON- or URL-encoded — and belongs to no other declaration: another dealer's hand-off, pages and
        callbacks stay whatever they hold (a customer named « Handoffs » took every hand-off)."""
        if self.db is None:
            return 0
        self.flush()
        e, t = self.entries, self.traces
        bdcs = sorted({str(b) for b in bdcs if b})
        own = or_(e.c.bdc.in_(bdcs), e.c.trace_id.in_(select(t.c.trace_id).where(t.c.bdc.in_(bdcs)))) \
            if bdcs else None
        # what makes an entry this person's: each group's values all there (one of each set)
        groups = [group for group in ([_needles(values)], [_needles(names), _needles(companions)]) if all(group)]
        found = []
        if groups:
            others = select(t.c.trace_id).where(t.c.bdc.not_in(bdcs)) if bdcs else select(t.c.trace_id)
            unrelated = and_(or_(e.c.bdc.is_(None), e.c.bdc.in_(bdcs)),
                             or_(e.c.trace_id.is_(None), e.c.trace_id.not_in(others),
                                 *([own] if own is not None else [])))
            wanted = or_(*[and_(*map(self._holding, group)) for group in groups])  # the candidates, in SQL
            words = [[_as_words(needles) for needles in group] for group in groups]  # then as whole words
            with self.db.read_engine.connect() as conn:
                for row in conn.execute(select(e.c.id, e.c.url, e.c.request, e.c.response).where(wanted, unrelated)):
                    text = "\n".join(str(part or "") for part in row[1:])
                    if any(all(pattern.search(text) for pattern in group) for group in words):
                        found.append(row[0])
        conditions = ([own] if own is not None else []) + ([e.c.id.in_(found)] if found else [])
        if not conditions:
            return 0
        with self.db.transaction() as session:
            deleted = session.execute(delete(e).where(or_(*conditions))).rowcount
        self._known_rows = None
        self.db.checkpoint()  # no copy of an erased value left in the WAL
        return deleted

    def _holding(self, needles: set[str]):
        """SQL keeping the entries whose request, response or URL holds one of ``needles`` (``_needles``):
        the candidates, each then checked as a whole word."""
        e = self.entries
        # letter case aside: SQLite's LIKE folds ASCII letters, PostgreSQL's does not and its ILIKE does
        # (all letters) — a name a DMS sent in capitals, a URL's percent escapes a client wrote in small
        # letters (%c3%a9) are erased on both; lower() on SQLite would cost a copy of every entry a needle
        ilike = self.db.url.startswith("postgresql")
        return or_(*[column.icontains(n, autoescape=True) if ilike else column.contains(n, autoescape=True)
                     for n in sorted(needles) for column in (e.c.request, e.c.response, e.c.url)])

    # -- BDC bindings -----------------------------------------------------------------------------
    def _remember(self, bdc: str, bound: tuple) -> None:
        with self._lock:
            self._missed.pop(bdc, None)
            if bdc not in self._bound:
                self._bound[bdc] = bound
                if len(self._bound) > 10000:
                    self._bound.popitem(last=False)

    def trace_for_bdc(self, bdc: str, *, memory_only: bool = False) -> tuple[str, str | None] | None:
        """``(trace_id, tracestate)`` of the first trace that carried ``bdc`` in this app (memory
        first — the exchanges queued settled into it —, then the app's look-up, then the journal's
        table; ``memory_only``: nothing settled, the look-up only when the app asked for it on
        answers: ``capture.settle``'s own question), or None. A miss is remembered for a couple of seconds: a
        page asking again does not query again."""
        with self._lock:
            if bdc in self._bound:
                return self._bound[bdc]
        if not memory_only and self._pending:  # an exchange queued may carry it: settle those first
            self.settle_for(bdc)
        with self._lock:
            if bdc in self._bound:
                return self._bound[bdc]
            missed = self._missed.get(bdc, 0.0) > time.monotonic()
        if self.db is None or missed or (memory_only and not self.lookup_answers):
            return None
        # the app's own record first (another worker's hand-off, committed before its answer), then
        # the journal's, which a worker's writer fills up to a second later
        found = self.lookup(bdc) if self.lookup is not None else None  # never raises (``bind_lookup``)
        if found is not None and found is not UNBOUND:
            self._remember(bdc, found)
            return found
        row = None if found is UNBOUND or memory_only else self._first_trace(bdc)
        if row is None:
            with self._lock:
                if len(self._missed) > 10000:
                    self._missed.clear()
                self._missed[bdc] = time.monotonic() + _MISS_TTL
            return None
        self._remember(bdc, tuple(row))
        return tuple(row)

    def _first_trace(self, bdc: str):
        """The journal's own record of the first trace that carried ``bdc`` (a row), or None."""
        try:
            with self.db.read_sessionmaker() as session:
                row = session.execute(select(self.traces.c.trace_id, self.traces.c.tracestate)
                                      .where(self.traces.c.bdc == bdc)
                                      .order_by(self.traces.c.time).limit(1)).first()
        except Exception:  # a missing table: no binding known
            return None
        return row

    # -- reading ----------------------------------------------------------------------------------
    def query(self, bdc: str | None = None, trace: str | None = None, since: dt.datetime | None = None,
              limit: int | None = None, header: tuple[str, str] | None = None) -> list[dict]:
        """Entries oldest first; ``limit`` keeps the newest ones. See ``common.journal.query``."""
        if self.db is None:
            return []
        self.flush()
        e, t = self.entries, self.traces
        conditions = []
        if bdc:
            conditions.append(or_(e.c.bdc == bdc,
                                  e.c.trace_id.in_(select(t.c.trace_id).where(t.c.bdc == bdc))))
        if trace:
            conditions.append(e.c.trace_id == trace)
        if since is not None:
            conditions.append(e.c.time >= since)
        if header is not None:
            marked = self.mark_header and header[0].lower() == self.mark_header.lower() \
                and len(header[1]) <= MARK_LENGTH
            conditions.append(e.c.mark == header[1] if marked else header_condition(e, *header))
        limit = max(1, min(int(limit or MAX_LIMIT), MAX_LIMIT))
        stmt = select(e).where(and_(true(), *conditions)).order_by(e.c.time.desc(), e.c.id.desc()).limit(limit)
        with self.db.read_sessionmaker() as session:
            rows = session.execute(stmt).mappings().all()
        if header is not None:  # the text matched: now the header itself, in the part the app set
            entries = [as_entry(self.name, row) for row in reversed(rows)]
            return [entry for entry in entries if own_header(entry, header[0]) == header[1]]
        return [as_entry(self.name, row) for row in reversed(rows)]
