"""Group commit: concurrent writes share one transaction, so one disk sync makes many durable.

A request hands its write to ``GroupCommitter.run(job)``. The jobs queued meanwhile run in a single
transaction (``job(connection)``, Core statements) and are committed together; only then does each
request get its job's result. So an answer still means the write is on disk, while N concurrent
requests cost one commit (one fsync with SQLite ``synchronous=FULL``) instead of N queued behind the
write lock.

No writer thread: the requests take turns leading ("leader/follower" group commit). A request that
finds nobody committing commits its own job with every job queued by then; requests arriving
meanwhile queue theirs, and when the batch is committed the first of them leads the next batch. A
lone request thus commits on its own thread with no hand-off at all, and each waiting request is
woken once — by its result, or by its turn to lead; a writer thread cost two more thread switches a
batch and the interpreter-lock hand-offs between it and the requests it woke. Under load a leader
waits ``GATHER_DELAY`` before gathering, so the callers the last batch answered join this one.

Several processes writing one SQLite file (``up --processes``, gunicorn workers) take turns at the
write lock: a writer that finds it taken is put to sleep by SQLite's busy handler, in steps of up to
100 ms, whatever the moment the lock comes free. So the writers of a file first queue on an
advisory lock of their own (``<database>.commit-lock``, ``fcntl.flock``), which wakes the next one
the moment the previous commit ends; SQLite's own lock still guards every write. While more of its
batches are queued, a process keeps its turn for up to ``TURN_BATCHES`` batches in a row: each lock
and unlock saved is a wait for the interpreter lock saved in the one thread every queued request
waits for; then the turn goes to the other processes' writers waiting for it.

On a SQLite file the disk sync is taken out of that turn: the leaders' connection commits with
``synchronous=NORMAL`` (in WAL mode SQLite then writes the commit's frames to the ``-wal`` file
without syncing it), the turn is handed on, and only then does the leader ``fdatasync`` the WAL
before answering its batch. Another process (or this process's next batch) commits while the disk
syncs, instead of waiting for it under the lock. One sync makes every frame written to the file
before it durable, whoever wrote it, so a batch committed before another leader's sync began is not
synced again (``_WalSync``). The WAL is not lost meanwhile: SQLite syncs it before every checkpoint
and syncs the database after it, before the WAL is reused or truncated (and the leaders' connection
stays open, so the file is never deleted under it). Every other writer of the app keeps
``synchronous=FULL``.

A job must be safe to run again: if any job of a batch raises (a unique constraint hit by another
process, say), the batch is rolled back and each job runs again in its own transaction, so one
job's error reaches its own caller only.
"""
from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's busy handler alone
    fcntl = None

from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_BATCH = 64
TURN_BATCHES = 16  # batches in a row one process commits on its turn at a SQLite file while more are queued
GATHER_DELAY = 0.001  # seconds a leader lets the callers just answered come back before gathering (0: never)
WAIT = 120.0  # seconds a caller waits for its commit (SQLite's busy timeout is 15 s per attempt)


class GroupCommitter:
    """Runs write jobs on ``engine`` in shared transactions, committed by the requests themselves in
    turn (``stop()`` once no more jobs come)."""

    def __init__(self, engine: Engine, name: str = "group-commit"):
        self.engine = engine
        self.name = name
        self._turns = _file_turns(engine)
        self._wal = _wal_sync(engine)  # the WAL synced outside the turn (SQLite file), or None
        self._turn_batches = 0  # batches committed in this process's current turn at the file (0: not held)
        self._last_batch = 0  # how many jobs the last batch committed
        self._mutex = threading.Lock()  # guards _waiting and _leading, held for a few operations only
        self._waiting: list[tuple[Callable, _Slot]] = []  # the jobs of the next batch, oldest first
        self._leading = False  # a batch is being committed; then its leader hands on or ends the turn
        self._stopped = False
        self._conn: Connection | None = None  # the leaders' connection, kept between batches

    def run(self, job: Callable[[Connection], T]) -> T:
        """``job(connection)``'s result once its transaction is committed (its exception, if it raised)."""
        if self._stopped:  # shutting down: the caller still gets a durable write, on its own
            return self._alone(job)
        slot = _Slot()
        with self._mutex:
            self._waiting.append((job, slot))
            lead = not self._leading
            self._leading = True
        if lead or slot.wait(self):
            self._lead()  # this job first in the batch: its outcome is set on return
        return slot.outcome()

    def stop(self) -> None:
        """Wait for the batch in progress and the jobs queued behind it, then close the connection."""
        self._stopped = True
        deadline = time.monotonic() + WAIT
        while self._leading and time.monotonic() < deadline:  # stopping only: a short poll
            time.sleep(0.005)
        with self._mutex:
            if not self._leading:
                self._close()

    def _lead(self) -> None:
        """Commit the queued jobs (this request's first among them) as one batch, hand the next batch
        to the first request queued since (or end the turn when none is), then answer the batch: the
        next batch starts without waiting for this one's callers to be woken, one by one. Whatever
        fails on the way, each job of the batch gets its outcome and the lead is handed on."""
        batch: list = []
        outcomes: list = []  # (slot, result, error) of the jobs done, given to their callers last
        try:
            try:
                self._gather_delay()
                if not self._turn_batches:  # the batch is gathered once this process has its turn at the file
                    self._turns.__enter__()
                self._turn_batches += 1
                with self._mutex:
                    batch = self._waiting[:MAX_BATCH]
                    del self._waiting[:MAX_BATCH]
                self._last_batch = len(batch)
                self._commit(batch, outcomes)
                if self._wal is not None:
                    self._wal.committed += 1  # leaders commit one at a time: no lock needed
            except BaseException as exc:  # no caller of the batch is left waiting for nothing
                if not batch:  # interrupted before gathering it (its turn at the file refused)
                    with self._mutex:
                        batch = self._waiting[:MAX_BATCH]
                        del self._waiting[:MAX_BATCH]
                if self._wal is not None and outcomes:  # the jobs committed before the interruption
                    self._wal.committed += 1
                self._answer(outcomes)  # their own outcomes, once durable
                outcomes = []
                for _, slot in batch:
                    slot.fail(exc)
                raise
            finally:
                self._hand_on()
        finally:
            self._answer(outcomes)

    def _answer(self, outcomes: list) -> None:
        """Give each job's outcome to its caller, once the batch is on disk: after the turn is handed
        on, the WAL's sync (a stored job's caller gets the sync's error instead, should it fail)."""
        if self._wal is not None and any(error is None for _, _, error in outcomes):
            try:
                self._wal.sync()
            except OSError as exc:
                log.error("group commit %s: WAL not synced", self.name, exc_info=True)
                outcomes = [(slot, None, error or exc) for slot, _, error in outcomes]
        _answer(outcomes)

    def _hand_on(self) -> None:
        """After a batch: keep or give up this process's turn at the file, then wake the next batch's
        leader, or end the lead (always, even when giving up the turn fails)."""
        with self._mutex:
            try:
                # the next batch of this process keeps the turn (no unlock and lock again, each a
                # wait for the interpreter lock), a few batches at most: other processes' writers wait
                if self._turn_batches and not (self._waiting and self._turn_batches < TURN_BATCHES):
                    self._release_turn()
            finally:
                if self._waiting:
                    self._waiting[0][1].lead()
                else:
                    self._leading = False
                    if self._stopped:
                        self._close()

    def _release_turn(self) -> None:
        self._turn_batches = 0
        try:
            self._turns.__exit__(None, None, None)
        except OSError:  # closing the file releases its lock: the next turn opens it again
            log.warning("group commit %s: turn at the file not released, file closed", self.name, exc_info=True)
            self._turns.close()

    def _gather_delay(self) -> None:
        """Under load (the last batch had several jobs) and with fewer queued than it had, wait
        ``GATHER_DELAY`` before gathering: the callers the last batch answered are preparing their next
        job and join this batch instead of the one after. Batches of 6–7 instead of 4–5 at 16
        connections: fewer commits and disk syncs a hand-off, and while most callers wait in the queue
        the leader seldom waits for the interpreter lock. Never on a turn at the file other processes
        may be waiting for: a kept turn is given up first."""
        if not GATHER_DELAY or self._last_batch < 2 or len(self._waiting) >= self._last_batch:
            return
        if self._turn_batches:
            self._release_turn()
        time.sleep(GATHER_DELAY)

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if isinstance(self._turns, _FileTurns):
            self._turns.close()

    def _withdraw(self, slot: _Slot) -> bool:
        """A caller waited ``WAIT`` seconds: True if it was handed the lead meanwhile (it must lead
        all the same), False if its outcome came meanwhile or a batch already holds its job (then it
        waits for that outcome: the batch may store the job, so "timeout" would be a lie); otherwise
        its job leaves the queue and TimeoutError is raised."""
        with self._mutex:
            if slot.leads:
                slot._done.acquire(blocking=False)  # the lead's release: its outcome releases it again
                return True
            if slot.finished:
                return False
            queued = len(self._waiting)
            self._waiting[:] = [item for item in self._waiting if item[1] is not slot]
            held = len(self._waiting) == queued  # not queued: a leader took it into its batch
        if held:  # every batch sets each job's outcome, even when its leader is interrupted
            slot._done.acquire()
            return False
        raise TimeoutError(f"no commit within {WAIT:.0f} s")

    @contextmanager
    def _begin(self, shared: bool) -> Iterator[Connection]:
        """A transaction, committed on exit: for a leader, on the leaders' own connection, checked out
        once rather than from the pool at every batch (a checkout and its reset cost as much as a
        one-row job), its turn at the file taken by ``_lead``; stopping, on a connection of its own."""
        if not shared:
            with self.engine.begin() as conn:
                yield conn
            return
        if self._conn is None or self._conn.invalidated or self._conn.closed:
            if self._conn is not None:
                self._conn.close()  # a lost connection (server restart): the next batch gets a new one
            self._conn = self.engine.connect()
            if self._wal is not None:  # its commits are synced by ``_answer``, outside the turn
                self._conn.detach()  # closed for good with the committer, never back in the pool
                raw = self._conn.connection.dbapi_connection
                if raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                    raw.execute("PRAGMA synchronous=NORMAL")
                else:  # a rollback journal (WAL refused by the file system): each commit syncs itself
                    self._wal = None
        with self._conn.begin():
            yield self._conn

    def _commit(self, batch: list, outcomes: list) -> None:
        """Run and commit the batch, adding ``(slot, result, error)`` of each job done to ``outcomes``
        (given to the callers by ``_lead``)."""
        if len(batch) > 1:
            try:
                with self._begin(True) as conn:
                    results = [job(conn) for job, _ in batch]
            except Exception:  # one job failed the batch: each runs again alone
                log.debug("group commit of %d jobs failed; running them one by one", len(batch), exc_info=True)
            else:
                outcomes += [(slot, result, None) for (_, slot), result in zip(batch, results)]
                return
        for job, slot in batch:
            try:
                outcomes.append((slot, self._alone(job, shared=True), None))
            except Exception as exc:  # noqa: BLE001  the caller's own error, raised in its thread
                outcomes.append((slot, None, exc))

    def _alone(self, job: Callable[[Connection], T], shared: bool = False) -> T:
        with self._begin(shared) as conn:
            return job(conn)


def _answer(outcomes: list) -> None:
    """Give each job's outcome to the request waiting for it."""
    for slot, value, error in outcomes:
        if error is None:
            slot.set_result(value)
        else:
            slot.set_exception(error)


class _WalSync:
    """The ``fdatasync`` of a SQLite file's WAL after the leaders' commits (``synchronous=NORMAL``),
    shared by this process's leaders: ``committed`` counts the batches committed, ``synced`` those
    known to be on disk. A sync covers every batch committed before it began, so a leader whose batch
    another leader's sync covered answers without syncing again."""

    def __init__(self, path: str):
        self.path = path
        self.committed = 0
        self.synced = 0
        self._lock = threading.Lock()

    def sync(self) -> None:
        """Return once every batch committed so far is on disk."""
        through = self.committed
        if self.synced >= through:
            return
        with self._lock:
            if self.synced >= through:  # synced meanwhile by the leader holding the lock
                return
            through = self.committed  # this sync covers the batches committed until now
            try:
                fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:  # checkpointed and removed: SQLite synced the database first
                fd = None
            if fd is not None:
                try:
                    os.fdatasync(fd)
                finally:
                    os.close(fd)
            self.synced = through


def _sqlite_file(engine: Engine) -> str | None:
    """The path of ``engine``'s SQLite file, or None (another database, in memory, a URI)."""
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database


def _wal_sync(engine: Engine) -> _WalSync | None:
    """The WAL's sync for a SQLite file in WAL mode; None elsewhere (commits sync themselves)."""
    database = _sqlite_file(engine)
    return _WalSync(database + "-wal") if database else None


class _FileTurns:
    """An exclusive ``flock`` held for one transaction: this process's turn among the writers of one
    SQLite file (see the module's docstring)."""

    def __init__(self, path: str):
        self.path = path
        self.fd: int | None = None  # opened at the first write (an app may never write)

    def __enter__(self):
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _file_turns(engine: Engine):
    """Turns for a SQLite file's writers; nothing to wait for elsewhere (a server database queues
    its writers itself, without sleeping)."""
    database = _sqlite_file(engine)
    if fcntl is None or not database:
        return contextlib.nullcontext()
    return _FileTurns(database + ".commit-lock")


class _Slot:
    """Where a job's outcome is left for the request waiting on it, or its turn to lead: a plain lock
    released once per message, lighter than a ``Future`` (its condition variable) on a path every
    hand-off takes."""

    __slots__ = ("_done", "_error", "_value", "finished", "leads")

    def __init__(self):
        self._done = threading.Lock()
        self._done.acquire()
        self._value = self._error = None
        self.leads = False
        self.finished = False

    def set_result(self, value) -> None:
        self._value = value
        self.finished = True
        self._done.release()

    def set_exception(self, error: BaseException) -> None:
        self._error = error
        self.finished = True
        self._done.release()

    def fail(self, error: BaseException) -> None:
        """The batch broke off before this job's outcome was known (its leader interrupted)."""
        if not self.finished:
            self.set_exception(error)

    def lead(self) -> None:
        """Wake the waiting request to commit the next batch (called under the committer's mutex)."""
        self.leads = True
        self._done.release()

    def wait(self, committer: GroupCommitter) -> bool:
        """Wait for the outcome or the lead: True when this request must lead the next batch."""
        if self._done.acquire(timeout=WAIT):
            return self.leads
        return committer._withdraw(self)

    def outcome(self):
        """The job's result, or its exception raised (once set: by a leader, or by this request leading)."""
        if self._error is not None:
            raise self._error
        return self._value
