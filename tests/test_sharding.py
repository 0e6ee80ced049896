"""``--shard I/N``: every test in exactly one shard, the same split on every run (CI jobs agree)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ("tests/test_sharding.py", "tests/test_serving.py", "tests/test_with_postgres.py")
# plugins these collections never use: half of each run's CPU is their import
UNUSED = [arg for name in ("playwright", "hypothesispytest", "html", "html_fixtures", "metadata", "anyio")
          for arg in ("-p", f"no:{name}")]


def _collect(*options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", *UNUSED,
                           "--collect-only", "-q", *options, *TARGET],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def _ids(*options: str) -> list[str]:
    result = _collect(*options)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_shards_cover_every_test_once_and_always_the_same_way():
    everything = _ids()
    shards = [_ids("--shard", f"{index}/3") for index in (1, 2, 3)]
    assert sorted(test for shard in shards for test in shard) == sorted(everything)
    assert all(shards) and max(map(len, shards)) - min(map(len, shards)) <= 1
    assert _ids("--shard", "2/3") == shards[1]


def test_a_shard_outside_the_range_is_refused_in_french():
    result = _collect("--shard", "4/3")
    assert result.returncode != 0
    assert "--shard 4/3 : attendu I/N avec 1 ≤ I ≤ N" in result.stderr
