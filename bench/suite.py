"""How long ``make test`` takes: its main pass (every suite on SQLite, xdist on every core) and its
PostgreSQL pass (``scripts/postgres-suites.sh`` under ``scripts/with-postgres.sh``), timed from this
checkout with its installed environment, each as ``make test`` runs it. With
``SPOTICAR_BENCH_FRESH=1``, also ``.ci/run`` in a fresh clone of the current commit (virtualenv,
installation and both passes), as CI does it.
"""
from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.pytest_cpu import TreeCpu

ROOT = Path(__file__).resolve().parents[1]
# pytest's closing line, with or without its ===: "1005 passed, 1 skipped in 160.21s (0:02:40)"
SUMMARY = re.compile(r"^=*\s*(\d+ (?:passed|failed|errors?|skipped)[^=\n]*?) in [0-9.]+s", re.M)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], log: Path, cwd: Path = ROOT) -> tuple[float, int, str]:
    """(seconds, exit code, pytest's closing summary such as "1005 passed, 1 skipped, CPU 583 s") of
    ``command``; the CPU time (user + system) is that of every process it started, those waited for
    and those that ended unwaited (a browser's processes once its driver has ended, looked at every
    second): on a loaded machine the wall time is noise, the CPU time still compares."""
    start, cpu = time.perf_counter(), _children_cpu()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})  # as make test
        tree = TreeCpu(process.pid)
        while True:
            tree()  # before poll(): the tree is still there to look at
            try:
                code = process.wait(timeout=1)
                break
            except subprocess.TimeoutExpired:
                continue
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu + tree.lost
    found = [m.group(1) for m in SUMMARY.finditer(log.read_text(errors="replace"))]
    return seconds, code, "; ".join([*found, f"CPU {cpu:.0f} s"]) if found else f"code {code}, voir {log}"


def rows() -> list[dict]:
    out = Path(tempfile.mkdtemp(prefix="bench-suite-"))
    python = sys.executable
    main = _timed([python, "-m", "pytest", "-n", "auto", "--dist", "loadgroup", "-q", "-p", "no:cacheprovider",
                   f"--junitxml={out}/junit.xml"], out / "main.log")
    postgres = _timed(["bash", "scripts/with-postgres.sh", "bash", "scripts/postgres-suites.sh", python,
                       f"--junitxml={out}/junit-postgres.xml"], out / "postgres.log")
    print(f"  journaux et rapports JUnit : {out}", flush=True)
    result = [
        {"figure": "make test, passe principale (SQLite)", "now": f"{main[0]:.0f} s ({main[2]})",
         "target": "≤ 180 s"},
        {"figure": "make test, passe PostgreSQL (groupes en parallèle)", "now": f"{postgres[0]:.0f} s ({postgres[2]})",
         "target": "—"},
        {"figure": "make test entier, environnement installé", "now": f"{main[0] + postgres[0]:.0f} s",
         "target": "≤ 300 s (.ci/run sur machine neuve)"},
    ]
    if os.environ.get("SPOTICAR_BENCH_FRESH") == "1":
        clone = out / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        fresh = _timed(["bash", ".ci/run"], out / "fresh.log", cwd=clone)
        result.append({"figure": ".ci/run, clone neuf (venv, installation, deux passes)",
                       "now": f"{fresh[0]:.0f} s ({fresh[2]})", "target": "≤ 300 s"})
    return result
