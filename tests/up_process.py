"""``spoticar-harness up`` in a process of its own, as a person or an operator starts it: read what it
prints until it says it is running, stop it with a signal as Ctrl-C or a service manager would."""
from __future__ import annotations

import subprocess
import sys
from signal import SIGINT

READY = "Ctrl-C pour arrêter."  # up's last line once every app answers
# a bound against a hang, not a speed check: on a loaded 2-core machine, 15 s was not enough to start
# Python or to stop two apps
HANG = 120


def start_up(*args: str, env: dict | None = None, cwd=None) -> subprocess.Popen:
    """``python -m harness.cli up ARGS…``, its output (stdout and stderr) readable as text."""
    return subprocess.Popen([sys.executable, "-m", "harness.cli", "up", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env, cwd=cwd)


def read_until_ready(process: subprocess.Popen) -> str:
    """What ``up`` printed until it said it is running; fails with that output if it ended first."""
    lines = []
    for line in process.stdout:
        lines.append(line)
        if READY in line:
            return "".join(lines)
    raise AssertionError("".join(lines))


def stop(process: subprocess.Popen, sig=SIGINT, timeout: float = HANG) -> str:
    """Send ``sig``, then return the rest of what ``up`` printed (read while it stops: an undrained pipe
    that fills would block its logging, and so its stop). On a timeout, the output says where it hung."""
    process.send_signal(sig)
    try:
        return process.communicate(timeout=timeout)[0] or ""
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("up ne s'est pas arrêté :\n" + (process.communicate()[0] or "")[-4000:]) from None
