"""What ``up`` is running, written to ``<data-dir>/stack.json`` so other commands find the apps.

    {"pid": 1234, "started": "2026-11-30T06:00:00Z", "cpu_seconds": 0.48,
     "cpu_phases": {"cli": 0.03, "imports": 0.27, "build": 0.09, "ready": 0.01},
     "apps": {"centralisateur": "http://127.0.0.1:8000", …}}

``cpu_seconds``: the CPU ``up`` had used (all its threads) when every app answered — what a start
cost, read at that very moment (``bench/startup.py`` reports it). ``cpu_phases`` (``up`` in one
process): how that CPU was spent, in order (``harness.cli.CPU_PHASES``).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

STATE_FILE = "stack.json"


def write_state(data_dir: Path | str, urls: dict[str, str], cpu_phases: dict[str, float] | None = None,
                test_key: str | None = None) -> Path:
    """Record the running apps' URLs (replaced atomically: a reader never sees half a file), and the
    test routes' key outside demo mode (``test_key``: the file is then readable by its owner only)."""
    path = Path(data_dir) / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    state = {"pid": os.getpid(), "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
             "cpu_seconds": round(time.process_time(), 3)}
    if cpu_phases:
        state["cpu_phases"] = {name: round(seconds, 4) for name, seconds in cpu_phases.items()}
    if test_key:
        state["test_routes_key"] = test_key
    tmp.unlink(missing_ok=True)
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if test_key else 0o644), "w") as out:
        out.write(json.dumps({**state, "apps": urls}, indent=2))
    tmp.replace(path)
    return path


def read_test_key(data_dir: Path | str) -> str | None:
    """The test routes' key ``up`` recorded in ``data_dir`` (a stack outside demo mode), or None."""
    try:
        key = json.loads((Path(data_dir) / STATE_FILE).read_text()).get("test_routes_key")
    except (OSError, ValueError, AttributeError):
        return None
    return key if isinstance(key, str) and key else None


def read_state(data_dir: Path | str) -> dict[str, str] | None:
    """The app URLs ``up`` recorded in ``data_dir``, or None when no stack state is there."""
    path = Path(data_dir) / STATE_FILE
    try:
        return dict(json.loads(path.read_text())["apps"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clear_state(data_dir: Path | str) -> None:
    (Path(data_dir) / STATE_FILE).unlink(missing_ok=True)


def clear_stale_state(data_dir: Path | str) -> None:
    """Remove a ``stack.json`` left by an ``up`` that no longer runs (killed, machine restarted): a
    script waiting for the file to appear (the README's ``until [ -f …/stack.json ]``) then waits
    for this start, not for the last one's. A state whose ``up`` still runs is left alone."""
    path = Path(data_dir) / STATE_FILE
    try:
        pid = int(json.loads(path.read_text())["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        pid = None
    if pid is not None and _alive(pid):
        return
    path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True
