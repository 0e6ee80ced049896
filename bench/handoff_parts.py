"""Where a hand-off's CPU goes, served in one process: a decomposition aid for ``bench/handoff.py``
(its figures are not issue 15's: ``python -m bench handoff`` measures the target).

``python -m bench.handoff_parts [ROUNDS]`` serves the centralisateur as ``bench handoff`` does
(``AppServer``, the same load from ``harness.loadgen``: 16 connections, every hand-off a new sale) and
loads it in turn, round after round, with four writers behind the same API:
- ``complete``: the app's own (``common.group_commit``: the SQL, the commit and the WAL's disk sync);
- ``no sync``: a second group commit on the same database whose connection does not wait for the
  disk (``PRAGMA synchronous=OFF``: the same SQL and commits, not durable — measured here only, to
  see what waiting for the sync costs the process);
- ``no SQL``: the same group commit around a job that writes nothing (the requests' coordination and
  an empty transaction: no page written, no sync);
- ``no write``: no group commit at all, each request answered at once (the request path alone:
  waitress, journal, key, parsing, validation, receipt).
The API answers the same in the four (201, a receipt); only the first two store the sales. The
differences between them are the costs of the disk sync, of the SQL with its commit, and of the
coordination. Each
variant gives the server's CPU per request (user and system), thread switches per request (every
thread of the process, voluntary and not: ``/proc``), hand-offs per commit and the throughput.
The machine's load is printed with them: switches cost more on a busy machine."""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from bench.handoff import KEY, PER_ROUND, WARM_UP, load
from centralisateur.api_store import Stored
from common.group_commit import GroupCommitter
from common.serve import settle_heap
from fixtures.factories import Factory
from harness.runner import Stack

ROUNDS = 6
VARIANTS = ("complete", "no sync", "no SQL", "no write")
_ANSWER = Stored(1, "SP953617Z000000001", "pending", True)  # what the two stand-ins answer


class _NoSync(GroupCommitter):
    """A group commit whose connection does not wait for the disk (``no sync``): bench only."""

    def __init__(self, engine, name: str):
        super().__init__(engine, name)
        self._wal = None  # nor does it sync the WAL before answering

    def _begin(self, shared: bool):
        if shared and self._conn is None:
            self._conn = self.engine.connect()
            self._conn.connection.driver_connection.execute("PRAGMA synchronous=OFF")
        return super()._begin(shared)

    def stop(self) -> None:
        if self._conn is not None:  # the pooled connection goes back as the app configures it
            self._conn.connection.driver_connection.execute("PRAGMA synchronous=FULL")
        super().stop()


class _Empty:
    """The app's group commit running a job that writes nothing (``no SQL``)."""

    def __init__(self, committer):
        self.committer = committer

    def run(self, job):
        return self.committer.run(lambda conn: _ANSWER)


class _AtOnce:
    """No group commit: the request is answered at once (``no write``)."""

    @staticmethod
    def run(job):
        return _ANSWER


def _switches() -> int:
    """Thread switches so far, every thread of this process, voluntary and not."""
    total = 0
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            lines = (task / "status").read_text().splitlines()
        except OSError:  # a thread ended meanwhile
            continue
        total += sum(int(line.split()[1]) for line in lines if "ctxt_switches" in line)
    return total


def measure(rounds: int = ROUNDS) -> dict:
    """``{variant: figures}``, the variants loaded in turn for ``rounds`` rounds (who goes first
    turning), ``PER_ROUND`` hand-offs each."""
    factory = Factory(15)
    bodies = [factory.handoff(dms_order_ref=f"PARTS{i:06d}")
              for i in range(WARM_UP + rounds * len(VARIANTS) * PER_ROUND)]
    totals = {v: {"requests": 0, "seconds": 0.0, "user": 0.0, "system": 0.0, "switches": 0, "commits": 0,
                  "statuses": {}} for v in VARIANTS}
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp), names=["centralisateur", "icare"]).start()
        try:
            stack.wait_ready()
            settle_heap()
            app = stack.app("centralisateur")
            committer = app.extensions["handoff_writer"]
            unsynced = _NoSync(committer.engine, "bench-no-sync")
            writers = {"complete": committer, "no sync": unsynced, "no SQL": _Empty(committer), "no write": _AtOnce()}
            commits = [0]
            event.listen(committer.engine, "commit", lambda conn: commits.__setitem__(0, commits[0] + 1))
            url = stack.url("centralisateur") + "/api/v1/handoffs"
            headers = {"Authorization": f"Bearer {KEY}"}
            load(url, bodies[:WARM_UP], headers)
            start = WARM_UP
            for round_ in range(rounds):
                for variant in (VARIANTS if round_ % 2 == 0 else VARIANTS[::-1]):
                    app.extensions["handoff_writer"] = writers[variant]
                    before, switched, committed = os.times(), _switches(), commits[0]
                    figures = load(url, bodies[start:start + PER_ROUND], headers)
                    after = os.times()
                    start += PER_ROUND
                    total = totals[variant]
                    total["user"] += after.user - before.user
                    total["system"] += after.system - before.system
                    total["switches"] += _switches() - switched
                    total["commits"] += commits[0] - committed
                    total["requests"] += figures["requests"]
                    total["seconds"] += figures["seconds"]
                    for status, count in figures["statuses"].items():
                        total["statuses"][status] = total["statuses"].get(status, 0) + count
            app.extensions["handoff_writer"] = committer
            unsynced.stop()
        finally:
            stack.stop()
    return totals


def lines(totals: dict) -> list[str]:
    out = []
    for variant, t in totals.items():
        n = t["requests"] or 1
        per_commit = f"{n / t['commits']:.1f} hand-offs a commit" if t["commits"] else "no commit"
        out.append(f"{variant:<9} CPU {(t['user'] + t['system']) / n * 1000:.3f} ms/req "
                   f"(system {t['system'] / n * 1000:.3f}), {t['switches'] / n:.2f} switches/req, "
                   f"{per_commit}, {n / t['seconds']:,.0f} req/s, statuses {t['statuses']}")
    return out


def main(argv: list[str]) -> None:
    rounds = int(argv[0]) if argv else ROUNDS
    began = time.perf_counter()
    totals = measure(rounds)
    for line in lines(totals):
        print(line)
    print(f"({rounds} rounds of {PER_ROUND} hand-offs a variant, {time.perf_counter() - began:.0f} s, "
          f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main(sys.argv[1:])
