"""pytest plugin: ``--cpu-report PATH`` writes the CPU time (user + system, seconds) each test cost —
setup, call and teardown — and the sum per file, slowest first.

On a machine shared with other work, wall time (``--durations``) is noise; CPU time still compares.
A test's CPU is that of the pytest process (every thread: the apps of an in-process stack serve from
threads) and of all its descendants, alive or ended (a browser and its renderers, ``serve``
processes, a pytest a test starts), read from ``/proc`` (Linux only; elsewhere the option says so).
Under xdist each worker measures its tests and the controller writes the report. The first test of a
session-scoped fixture carries its setup (a stack's start, a browser's launch): that is where it is paid.
"""
from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import pytest

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_CPU: dict[str, float] = {}   # test id → CPU seconds (on the controller under xdist)


class TreeCpu:
    """CPU seconds of a process (default: this one) and of every descendant so far: the alive ones'
    own time plus that of the children each has waited for (``cutime``/``cstime``), and the last
    seen time of a descendant that ended without any watched ancestor waiting for it (a browser
    ended by its driver, which is then not waited for)."""

    def __init__(self, root: int | None = None):
        self.root = root or os.getpid()
        self._last: dict[int, tuple[int, int, int]] = {}   # pid → (ppid, own ticks, reaped children's)
        self._lost = 0

    @property
    def lost(self) -> float:
        """CPU seconds of the descendants that ended without a watched ancestor waiting for them
        (seen at the latest call): what ``getrusage(RUSAGE_CHILDREN)`` never shows."""
        return self._lost / _TICK

    def __call__(self) -> float:
        table: dict[int, tuple[int, int, int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            table[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]),
                                      int(fields[13]) + int(fields[14]))
        children: dict[int, list[int]] = defaultdict(list)
        for pid, (ppid, _, _) in table.items():
            children[ppid].append(pid)
        alive, todo = {}, [self.root]
        while todo:
            pid = todo.pop()
            if pid in table:
                alive[pid] = table[pid]
                todo.extend(children.get(pid, ()))
        # an ended descendant's time (with that of its ended descendants, grouped under the highest
        # of them) counts once: in its parent's cutime when a watched parent waited for it, else here
        groups: dict[int, int] = defaultdict(int)
        for pid, (_, own, reaped) in self._last.items():
            if pid not in alive:
                top = pid
                while self._last.get(top, (0,))[0] in self._last and self._last[top][0] not in alive:
                    top = self._last[top][0]
                groups[top] += own + reaped
        grown = {pid: alive[pid][2] - self._last[pid][2] for pid in alive if pid in self._last}
        for top, ticks in groups.items():
            parent = self._last[top][0]
            # what its parent's cutime did not grow by was lost from sight (the last seen is kept)
            took = min(grown.get(parent, 0), ticks)
            grown[parent] = grown.get(parent, 0) - took
            self._lost += ticks - took
        self._last = alive
        return (sum(own + reaped for _, own, reaped in alive.values()) + self._lost) / _TICK


def pytest_addoption(parser):
    parser.getgroup("spoticar").addoption(
        "--cpu-report", dest="cpu_report", default=None, metavar="PATH",
        help="write the CPU seconds of each test (this process and its descendants: apps' threads, "
             "browser, spawned processes) and per file, slowest first, to PATH (Linux)")


def pytest_configure(config):
    if config.option.cpu_report and not Path("/proc/self/stat").exists():
        raise pytest.UsageError("--cpu-report : /proc est nécessaire (Linux)")
    config._tree_cpu = TreeCpu()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if item.config.option.cpu_report:
        item._cpu_start = item.config._tree_cpu()
    return (yield)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    """A look before teardown: a session's last test ends its browser, whose processes then end
    unseen (the driver does not wait for them); what they had used by now stays counted."""
    if getattr(item, "_cpu_start", None) is not None:
        item.config._tree_cpu()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Before the teardown report is made: it carries the test's CPU (user_properties, which xdist
    sends to the controller)."""
    start = getattr(item, "_cpu_start", None)
    if call.when == "teardown" and start is not None:
        item.user_properties.append(("cpu_s", round(item.config._tree_cpu() - start, 3)))


def pytest_runtest_logreport(report):
    if report.when != "teardown":
        return
    for name, value in report.user_properties:
        if name == "cpu_s":
            _CPU[report.nodeid.split("@")[0]] = value


def pytest_sessionfinish(session):
    path = session.config.option.cpu_report
    if not path or hasattr(session.config, "workerinput") or not _CPU:
        return
    files: dict[str, list[float]] = defaultdict(list)
    for nodeid, cpu in _CPU.items():
        files[nodeid.split("::")[0]].append(cpu)
    lines = [f"# CPU total des tests : {sum(_CPU.values()):.1f} s, {len(_CPU)} tests", "# par fichier (s, tests)"]
    lines += [f"{sum(v):8.2f} {len(v):4d}  {f}" for f, v in sorted(files.items(), key=lambda kv: -sum(kv[1]))]
    lines += ["# par test (s)"]
    lines += [f"{cpu:8.2f}  {nodeid}" for nodeid, cpu in sorted(_CPU.items(), key=lambda kv: -kv[1])]
    Path(path).write_text("\n".join(lines) + "\n")
