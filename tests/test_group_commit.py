"""``common.group_commit``: writers of one SQLite file take turns, every answered job is stored."""
from __future__ import annotations

import threading

from sqlalchemy import Column, Integer, MetaData, String, Table, func, select

from common.db import Database
from common.group_commit import GroupCommitter

META = MetaData()
ROWS = Table("rows", META, Column("id", Integer, primary_key=True), Column("ref", String(20), unique=True))


class _Base:  # Database wants a declarative base: only its metadata is used
    metadata = META


def test_two_writers_of_one_file_store_every_answered_job(tmp_path):
    """Two committers (as two processes would: each its own connection and lock file handle) write
    the same file at once; each answered job is in the file, none twice, and the writers took turns
    on the file's commit lock."""
    path = tmp_path / "shared.sqlite3"
    databases = [Database(f"sqlite:///{path}", _Base) for _ in range(2)]
    databases[0].create_all()
    writers = [GroupCommitter(db.engine) for db in databases]
    answered, errors = [], []

    def client(writer: GroupCommitter, name: str) -> None:
        for i in range(40):
            ref = f"{name}-{i}"
            try:
                answered.append(writer.run(lambda conn, ref=ref: conn.execute(ROWS.insert().values(ref=ref))
                                           .inserted_primary_key[0]))
            except Exception as exc:  # noqa: BLE001  (reported below)
                errors.append(exc)

    threads = [threading.Thread(target=client, args=(w, f"w{n}c{c}")) for n, w in enumerate(writers) for c in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for writer in writers:
        writer.stop()
    assert errors == []
    with databases[0].engine.connect() as conn:
        stored = set(conn.scalars(select(ROWS.c.id)))
        assert conn.scalar(select(func.count()).select_from(ROWS)) == 320
    assert sorted(answered) == sorted(stored)
    assert (tmp_path / "shared.sqlite3.commit-lock").exists()
    for db in databases:
        db.dispose()


def _committer(tmp_path) -> tuple[Database, GroupCommitter]:
    db = Database(f"sqlite:///{tmp_path / 'one.sqlite3'}", _Base)
    db.create_all()
    return db, GroupCommitter(db.engine)


def _insert(ref: str):
    return lambda conn: conn.execute(ROWS.insert().values(ref=ref)).inserted_primary_key[0]


def _held(ref: str):
    """``(job, started, go)``: a job inserting ``ref`` that holds its batch (and the turn) open, once
    ``started``, until ``go`` is set — while the next jobs queue behind it."""
    started, go = threading.Event(), threading.Event()

    def job(conn):
        started.set()
        go.wait(30)
        return _insert(ref)(conn)
    return job, started, go


def _refs(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.scalars(select(ROWS.c.ref)))


def test_a_failing_job_fails_its_own_caller_only(tmp_path):
    """Jobs queued behind a batch in progress are committed together by the next leader; one of them
    raising (a duplicate) reaches its caller alone, the others are stored."""
    db, writer = _committer(tmp_path)
    writer.run(_insert("taken"))
    slow, started, go = _held("first")  # holds the batch open while the others queue behind it

    outcomes: dict[str, object] = {}

    def client(name, job):
        try:
            outcomes[name] = writer.run(job)
        except Exception as exc:  # noqa: BLE001  (checked below)
            outcomes[name] = exc

    first = threading.Thread(target=client, args=("first", slow))
    first.start()
    assert started.wait(30)
    others = [threading.Thread(target=client, args=(ref, _insert(ref))) for ref in ("a", "taken", "b")]
    for thread in others:
        thread.start()
    go.set()
    for thread in [first, *others]:
        thread.join(timeout=60)
    writer.stop()
    assert type(outcomes["taken"]).__name__ == "IntegrityError"
    assert all(isinstance(outcomes[ref], int) for ref in ("first", "a", "b"))
    assert _refs(db) == {"taken", "first", "a", "b"}
    db.dispose()


def test_a_caller_that_gives_up_leaves_nothing_behind(tmp_path, monkeypatch):
    """A caller waiting past ``WAIT`` gets TimeoutError and its job is withdrawn (never stored); the
    batch in progress ends and the next job is committed as usual."""
    from common import group_commit
    db, writer = _committer(tmp_path)
    stuck, started, go = _held("stuck")

    leader = threading.Thread(target=writer.run, args=(stuck,))
    leader.start()
    assert started.wait(30)
    monkeypatch.setattr(group_commit, "WAIT", 0.2)
    try:
        writer.run(_insert("gave-up"))
    except TimeoutError as exc:
        assert "no commit within" in str(exc)
    else:
        raise AssertionError("the caller should have stopped waiting")
    go.set()
    leader.join(timeout=60)
    monkeypatch.setattr(group_commit, "WAIT", 120.0)
    assert isinstance(writer.run(_insert("next")), int)
    writer.stop()
    assert _refs(db) == {"stuck", "next"}
    db.dispose()


def test_a_timeout_is_never_answered_for_a_job_a_batch_then_stores(tmp_path, monkeypatch):
    """A caller whose job a batch already holds when its wait runs out is not told "timeout" while the
    batch goes on to store the job: it gets the job's outcome. Whatever the timing, a caller told
    TimeoutError finds its job not stored, and a caller given a result finds it stored."""
    import fcntl
    import os

    from common import group_commit
    db, writer = _committer(tmp_path)
    monkeypatch.setattr(group_commit, "WAIT", 1.0)
    other = os.open(str(tmp_path / "one.sqlite3.commit-lock"), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other, fcntl.LOCK_EX)  # another process has its turn at the file: the leader waits
    follower_done = threading.Event()
    outcomes: dict[str, object] = {}

    def leader_job(conn):  # the batch stays open until the follower has its answer (bounded)
        follower_done.wait(3)  # past the follower's WAIT: with the old code it was answered by then
        return _insert("leader")(conn)

    def client(name, job, done=None):
        try:
            outcomes[name] = writer.run(job)
        except Exception as exc:  # noqa: BLE001  (checked below)
            outcomes[name] = exc
        if done is not None:
            done.set()

    leader = threading.Thread(target=client, args=("leader", leader_job))
    leader.start()
    follower = threading.Thread(target=client, args=("follower", _insert("follower"), follower_done))
    for _ in range(2000):  # the leader is queued and waits for the file before gathering its batch
        if writer._waiting:
            break
        threading.Event().wait(0.005)
    follower.start()
    for _ in range(2000):
        if len(writer._waiting) == 2:
            break
        threading.Event().wait(0.005)
    fcntl.flock(other, fcntl.LOCK_UN)  # the leader gathers both jobs, then holds the batch open
    for thread in (leader, follower):
        thread.join(timeout=60)
    os.close(other)
    writer.stop()
    stored = _refs(db)
    assert isinstance(outcomes["leader"], int) and "leader" in stored
    if isinstance(outcomes["follower"], TimeoutError):
        assert "follower" not in stored
    else:
        assert isinstance(outcomes["follower"], int) and "follower" in stored
    db.dispose()


def test_under_load_with_short_waits_every_answer_matches_the_file(tmp_path, monkeypatch):
    """Stress: 10 callers on two committers of one file, ``WAIT`` cut to 50 ms, jobs of random length,
    some failing (a duplicate). Whatever each caller is told matches the file: a result is its stored
    row, a TimeoutError or an IntegrityError a job not stored; nothing is stored that nobody asked."""
    import random
    import time

    from common import group_commit
    path = tmp_path / "stress.sqlite3"
    databases = [Database(f"sqlite:///{path}", _Base) for _ in range(2)]
    databases[0].create_all()
    writers = [GroupCommitter(db.engine) for db in databases]
    writers[0].run(_insert("taken"))
    monkeypatch.setattr(group_commit, "WAIT", 0.05)
    outcomes: dict[str, object] = {}

    def client(n: int) -> None:
        pick = random.Random(n)
        for j in range(25):
            ref, delay, duplicate = f"c{n}-{j}", pick.choice([0, 0, 0, 0.001, 0.02, 0.08]), pick.random() < 0.1

            def job(conn, ref=ref, delay=delay, duplicate=duplicate):
                time.sleep(delay)  # a slow job: callers queued behind it run out of time
                if duplicate:
                    conn.execute(ROWS.insert().values(ref="taken"))
                return _insert(ref)(conn)
            try:
                outcomes[ref] = writers[n % 2].run(job)
            except Exception as exc:  # noqa: BLE001  (checked below)
                outcomes[ref] = exc

    threads = [threading.Thread(target=client, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    monkeypatch.setattr(group_commit, "WAIT", 120.0)
    for writer in writers:
        writer.stop()
    with databases[0].engine.connect() as conn:
        stored = dict(conn.execute(select(ROWS.c.ref, ROWS.c.id)).all())
    for ref, outcome in outcomes.items():
        if isinstance(outcome, int):
            assert stored.get(ref) == outcome, ref
        else:
            assert type(outcome).__name__ in ("TimeoutError", "IntegrityError") and ref not in stored, (ref, outcome)
    assert set(stored) - set(outcomes) == {"taken"}
    for db in databases:
        db.dispose()


def test_a_turn_kept_for_queued_batches_is_handed_on_every_few_batches(tmp_path, monkeypatch):
    """A process keeps its turn at the file for ``TURN_BATCHES`` batches in a row while more are
    queued, never longer (the other processes' writers get their chance), and gives it up once
    nothing is queued."""
    import fcntl
    import os

    from common import group_commit
    monkeypatch.setattr(group_commit, "MAX_BATCH", 1)  # one job a batch: 9 batches, the queue never empty
    monkeypatch.setattr(group_commit, "TURN_BATCHES", 4)  # fewer than the 9 batches, whatever the tuned value
    db, writer = _committer(tmp_path)
    turns = writer._turns
    stored_at_release: list[int] = []
    release = turns.__exit__

    def counted(*exc):  # how many rows were stored each time the turn was given up
        stored_at_release.append(len(_refs(db)))
        return release(*exc)

    monkeypatch.setattr(turns, "__exit__", counted, raising=False)
    slow, started, go = _held("first")  # holds the first batch (and the turn) while the others queue

    leader = threading.Thread(target=writer.run, args=(slow,))
    leader.start()
    assert started.wait(30)
    queued = [threading.Thread(target=writer.run, args=(_insert(f"q{n}"),)) for n in range(8)]
    for thread in queued:
        thread.start()
    for _ in range(2000):
        if len(writer._waiting) == 8:
            break
        threading.Event().wait(0.005)
    go.set()
    for thread in [leader, *queued]:
        thread.join(timeout=60)
    writer.stop()
    assert len(_refs(db)) == 9
    every = group_commit.TURN_BATCHES
    assert stored_at_release == [*range(every, 9, every), 9]  # given up every TURN_BATCHES batches, then at the end
    assert stored_at_release[0] < 9  # a few batches at most: given up while jobs were still queued
    free = os.open(str(tmp_path / "one.sqlite3.commit-lock"), os.O_RDWR)
    try:
        fcntl.flock(free, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody holds the turn any more
    finally:
        os.close(free)
    db.dispose()


def test_under_load_a_leader_waits_for_the_callers_just_answered(tmp_path, monkeypatch):
    """After a batch of several jobs, the next leader with fewer queued waits ``GATHER_DELAY`` before
    gathering: a job sent meanwhile is committed in the same transaction, not in the next one."""
    from common import group_commit
    monkeypatch.setattr(group_commit, "GATHER_DELAY", 2.0)  # long enough for the late caller, bounded
    db, writer = _committer(tmp_path)
    started, go = threading.Event(), threading.Event()
    transactions: dict[str, object] = {}

    def job(ref: str, hold: bool = False):
        def run(conn):
            if hold:  # holds the first batch open while a second job queues behind it
                started.set()
                go.wait(30)
            transactions[ref] = conn.get_transaction()  # one object per transaction, kept alive here
            return _insert(ref)(conn)
        return run

    late = threading.Thread(target=writer.run, args=(job("d"),))
    third = threading.Thread(target=writer.run, args=(job("c"),))
    holder = threading.Thread(target=writer.run, args=(job("x", hold=True),))
    holder.start()
    assert started.wait(30)
    queued = [threading.Thread(target=writer.run, args=(job(ref),)) for ref in ("y", "z")]
    for thread in queued:
        thread.start()
    for _ in range(2000):
        if len(writer._waiting) == 2:
            break
        threading.Event().wait(0.005)
    go.set()
    for thread in (holder, *queued):
        thread.join(timeout=60)
    assert transactions["y"] is transactions["z"]  # a batch of two: the next leader may wait
    third.start()  # leads alone, waits: the last batch had two jobs
    threading.Event().wait(0.1)
    late.start()  # sent during the wait: joins its batch
    for thread in (third, late):
        thread.join(timeout=60)
    writer.stop()
    assert transactions["c"] is transactions["d"]
    assert _refs(db) == {"x", "y", "z", "c", "d"}
    db.dispose()


def test_a_turn_that_cannot_be_released_still_answers_every_job_and_hands_on(tmp_path, monkeypatch):
    """Giving up the turn at the file fails once (the unlock raises): the batch's callers still get
    their stored rows' ids, the file is closed (its lock with it), and the next jobs are committed."""
    import common.group_commit as group_commit

    db, writer = _committer(tmp_path)
    failures = []
    real_exit = group_commit._FileTurns.__exit__

    def exit_once(self, *exc):
        if not failures:
            failures.append(True)
            raise OSError("unlock refused")
        return real_exit(self, *exc)

    monkeypatch.setattr(group_commit._FileTurns, "__exit__", exit_once)
    monkeypatch.setattr(group_commit, "WAIT", 5.0)  # a caller left waiting fails the test soon
    answers, errors = {}, []
    first, started, go = _held("first")

    def client(ref, job=None):
        try:
            answers[ref] = writer.run(job or _insert(ref))
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=client, args=("first", first))]
    threads[0].start()
    assert started.wait(10)
    threads += [threading.Thread(target=client, args=(f"next-{n}",)) for n in range(3)]
    for thread in threads[1:]:
        thread.start()
    while len(writer._waiting) < 3:
        threading.Event().wait(0.01)
    go.set()
    for thread in threads:
        thread.join(timeout=10)
    client("after")
    writer.stop()
    assert failures and errors == [] and not any(thread.is_alive() for thread in threads)
    with db.engine.connect() as conn:
        stored = dict(conn.execute(select(ROWS.c.ref, ROWS.c.id)).all())
    assert stored == answers and set(stored) == {"first", "next-0", "next-1", "next-2", "after"}
    db.dispose()


def test_a_job_is_answered_once_the_wal_holding_it_is_synced(tmp_path, monkeypatch):
    """The leaders' commits leave the disk sync to the committer (``synchronous=NORMAL`` on their own
    connection only): the WAL holding a job is ``fdatasync``'d, after its commit, before the caller
    gets its answer; the app's other writers keep ``synchronous=FULL``."""
    import os
    db, writer = _committer(tmp_path)
    syncs = []  # (inode synced, the refs committed by then)
    real = os.fdatasync

    def fdatasync(fd):
        real(fd)
        syncs.append((os.fstat(fd).st_ino, _refs(db)))
    monkeypatch.setattr(os, "fdatasync", fdatasync)
    writer.run(_insert("a"))
    wal = (tmp_path / "one.sqlite3-wal").stat().st_ino
    assert syncs and syncs[-1] == (wal, {"a"})
    with db.engine.connect() as conn:  # a pooled connection: what every other writer gets
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert writer._conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL: synced by the committer
    writer.stop()
    with db.engine.connect() as conn:  # the leaders' connection never went back to the pool
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    db.dispose()


def test_a_sync_that_fails_reaches_the_caller_and_the_next_one_syncs_again(tmp_path, monkeypatch):
    """The WAL's sync failing (a disk error): the caller gets the error, never its result — it cannot
    be told its write is on disk; the next job's sync covers both."""
    import os
    db, writer = _committer(tmp_path)
    real, calls = os.fdatasync, []

    def fdatasync(fd):
        calls.append(fd)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")
        real(fd)
    monkeypatch.setattr(os, "fdatasync", fdatasync)
    try:
        writer.run(_insert("a"))
    except OSError as exc:
        assert exc.errno == 5
    else:
        raise AssertionError("answered without its sync")
    assert isinstance(writer.run(_insert("b")), int)
    assert len(calls) == 2
    writer.stop()
    assert _refs(db) == {"a", "b"}
    db.dispose()
