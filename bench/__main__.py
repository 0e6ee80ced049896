"""Run every benchmark module present, print its figures, then issue 15's table in one piece.

``python -m bench`` runs them all (``make bench``); ``python -m bench growth suite`` only those named.

A module takes part in one of two ways:
- ``rows() -> list[dict]``: the figures of the table, each ``{"figure": str, "now": str, "target": str}``
  (``now``: the ratio or median measured in this run, units included), printed as they come and
  gathered in the closing table; a module may also print detail lines of its own;
- ``run() -> list[str]``: detail lines only (older modules); not called when ``rows`` exists.
Helpers (``stats``) and modules with neither are skipped.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

# issue 15's table order first (hand-off, start-up, suite, browser flows, page renders, growth), by
# name or name prefix; any other module after them, alphabetically
ORDER = ("handoff", "startup", "suite", "flows", "tec3h_flow", "pvo2_flow", "handoff_pages", "growth")
NOT_BENCHES = ("stats", "__main__")  # helpers the benches use


def _rank(name: str) -> tuple[int, str]:
    if name in ORDER:
        return ORDER.index(name), name
    return next((i for i, prefix in enumerate(ORDER) if name.startswith(prefix)), len(ORDER)), name


def modules(only: set[str]) -> list[str]:
    """The benchmark modules of this package to run, in the table's order."""
    found = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])]
    benches = [m for m in found if m not in NOT_BENCHES and (not only or m in only)]
    return sorted(benches, key=_rank)


def table(rows: list[dict]) -> list[str]:
    """The gathered figures as a fixed-width table (figure | now | target)."""
    if not rows:
        return []
    width = max(len(r["figure"]) for r in rows)
    now_width = max(len(r["now"]) for r in rows)
    lines = [f"{'figure':<{width}}  {'now':<{now_width}}  target"]
    lines += [f"{r['figure']:<{width}}  {r['now']:<{now_width}}  {r['target']}" for r in rows]
    return lines


def main(argv: list[str]) -> int:
    only = set(argv)
    unknown = only - set(modules(set()))
    if unknown:
        print(f"module(s) de bench inconnu(s) : {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    gathered: list[dict] = []
    failed = []
    for name in modules(only):
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "rows") and not hasattr(module, "run"):
            continue
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        try:
            if hasattr(module, "rows"):
                for row in module.rows():
                    gathered.append(row)
                    print(f"  {row['figure']}: {row['now']} (cible {row['target']})", flush=True)
            elif hasattr(module, "run"):
                for line in module.run():
                    print("  " + line, flush=True)
        except Exception as exc:  # one broken bench must not hide the others' figures
            failed.append(name)
            print(f"  ÉCHEC : {type(exc).__name__}: {exc}", flush=True)
        print(f"  ({time.perf_counter() - start:.0f} s)", flush=True)
    print(f"\n== issue 15 : chiffres mesurés dans ce passage "
          f"(charge {os.getloadavg()[0]:.1f} sur {os.cpu_count()} cœurs)")
    for line in table(gathered):
        print(line)
    if failed:
        print(f"\nbench en échec : {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
