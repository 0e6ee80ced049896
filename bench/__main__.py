"""Run every benchmark module present and print its figures."""
from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    only = set(sys.argv[1:])
    for module in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])):
        if module in ("stats", "__main__") or (only and module not in only):
            continue
        print(f"== {module}")
        for line in importlib.import_module(f"bench.{module}").run():
            print("  " + line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
