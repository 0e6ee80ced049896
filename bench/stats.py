"""Small timing helpers shared by the benchmarks."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def summary(name: str, samples: list[float], unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return (f"{name:<46} median {statistics.median(samples) * scale:8.2f} {unit}   "
            f"p90 {p90 * scale:8.2f} {unit}   n={len(samples)}")
