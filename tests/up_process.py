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


def two_free_ports_below_the_ephemeral_range() -> int:
    """A port free now, and the next one: taken below Linux's ephemeral range (32768–60999), where the
    suites' many client connections and port-0 servers never land between this check and the bind."""
    import random
    import socket
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
    for _ in range(200):
        base = random.randrange(max(1024, low - 12000), low - 2)
        sockets = [socket.socket() for _ in range(2)]
        try:
            for offset, sock in enumerate(sockets):
                sock.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no two consecutive free ports")
