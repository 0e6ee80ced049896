"""Group commit: concurrent writes share one transaction, so one disk sync makes many durable.

A request hands its write to ``GroupCommitter.run(job)`` and waits. One writer thread takes every
job queued meanwhile, runs them in a single transaction (``job(connection)``, Core statements) and
commits; only then does each waiting request get its job's result. So an answer still means the
write is on disk, while N concurrent requests cost one commit (one fsync with SQLite
``synchronous=FULL``) instead of N queued behind the write lock.

Several processes writing one SQLite file (``up --processes``, gunicorn workers) take turns at the
write lock: a writer that finds it taken is put to sleep by SQLite's busy handler, in steps of up to
100 ms, whatever the moment the lock comes free. So the writers of a file first queue on an
advisory lock of their own (``<database>.commit-lock``, ``fcntl.flock``), which wakes the next one
the moment the previous commit ends; SQLite's own lock still guards every write.

A job must be safe to run again: if any job of a batch raises (a unique constraint hit by another
process, say), the batch is rolled back and each job runs again in its own transaction, so one
job's error reaches its own caller only.
"""
from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
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
WAIT = 120.0  # seconds a caller waits for its commit (SQLite's busy timeout is 15 s per attempt)


class GroupCommitter:
    """Runs write jobs on ``engine`` in shared transactions from one background thread (started on
    first use, ``stop()`` to end it)."""

    def __init__(self, engine: Engine, name: str = "group-commit"):
        self.engine = engine
        self.name = name
        self._turns = _file_turns(engine)
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stopped = False
        self._conn: Connection | None = None  # the writer thread's own, kept between batches

    def run(self, job: Callable[[Connection], T]) -> T:
        """``job(connection)``'s result once its transaction is committed (its exception, if it raised)."""
        if self._stopped:  # shutting down: the caller still gets a durable write, on its own
            return self._alone(job)
        self._ensure_thread()
        slot = _Slot()
        self._queue.put((job, slot))
        return slot.result()

    def stop(self) -> None:
        """Finish the queued jobs, then end the writer thread."""
        self._stopped = True
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=WAIT)
        while True:  # a job queued while stopping: run it here
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not None:
                self._commit([item])

    def _ensure_thread(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                    self._thread.start()

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                break
            # the batch is gathered once this process has its turn at the file: the jobs queued
            # while another process committed join it (under gunicorn a worker's batches were half
            # as large, each commit with its own fsync)
            with self._turns:
                batch = [item]
                while len(batch) < MAX_BATCH:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:
                        self._queue.put(None)  # end after this batch
                        break
                    batch.append(item)
                self._commit(batch)
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if isinstance(self._turns, _FileTurns):
            self._turns.close()

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        """A transaction, committed on exit: on the writer thread's own connection, checked out once
        rather than from the pool at every batch (a checkout and its reset cost as much as a one-row
        job), its turn at the file taken by ``_loop``; elsewhere (stopping) on a connection of its own."""
        if threading.current_thread() is not self._thread:
            with self.engine.begin() as conn:
                yield conn
            return
        if self._conn is None or self._conn.invalidated or self._conn.closed:
            if self._conn is not None:
                self._conn.close()  # a lost connection (server restart): the next batch gets a new one
            self._conn = self.engine.connect()
        with self._conn.begin():  # the loop holds this process's turn at the file
            yield self._conn

    def _commit(self, batch: list) -> None:
        if len(batch) > 1:
            try:
                with self._begin() as conn:
                    results = [job(conn) for job, _ in batch]
            except Exception:  # one job failed the batch: each runs again alone
                log.debug("group commit of %d jobs failed; running them one by one", len(batch), exc_info=True)
            else:
                for (_, slot), result in zip(batch, results):
                    slot.set_result(result)
                return
        for job, slot in batch:
            try:
                slot.set_result(self._alone(job))
            except Exception as exc:  # the caller's own error, raised in its thread
                slot.set_exception(exc)

    def _alone(self, job: Callable[[Connection], T]) -> T:
        with self._begin() as conn:
            return job(conn)


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
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if fcntl is None or not database or database == ":memory:" or database.startswith("file:"):
        return contextlib.nullcontext()
    return _FileTurns(database + ".commit-lock")


class _Slot:
    """Where the writer leaves one job's outcome for the request waiting on it: a plain lock released
    once, lighter than a ``Future`` (its condition variable) on a path every hand-off takes."""

    __slots__ = ("_done", "_value", "_error")

    def __init__(self):
        self._done = threading.Lock()
        self._done.acquire()
        self._value = self._error = None

    def set_result(self, value) -> None:
        self._value = value
        self._done.release()

    def set_exception(self, error: BaseException) -> None:
        self._error = error
        self._done.release()

    def result(self):
        """The job's result (its exception raised) once committed; TimeoutError after WAIT seconds."""
        if not self._done.acquire(timeout=WAIT):
            raise TimeoutError(f"no commit within {WAIT:.0f} s")
        if self._error is not None:
            raise self._error
        return self._value
