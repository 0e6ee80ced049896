"""A small, bounded HTTP/1.1 load generator (wrk stand-in) for 127.0.0.1, run in its own process so
its work never shares the server's interpreter lock.

    python -m harness.loadgen URL BODIES.jsonl CONNECTIONS [HEADER: value ...]

POSTs each line of ``BODIES.jsonl`` once, over ``CONNECTIONS`` keep-alive connections, and prints
one JSON line: ``{"requests", "seconds", "rate", "p50_ms", "p99_ms", "statuses", "latencies_ms"}``
(``latencies_ms``: every request's, sorted, so runs can be pooled).
"""
from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

DEADLINE = 120.0  # seconds: a stuck server ends the run rather than the bench


async def _worker(host: str, port: int, path: str, headers: str, queue: list[bytes],
                  latencies: list[float], statuses: Counter) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while queue:
            body = queue.pop()
            request = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                       f"{headers}Content-Length: {len(body)}\r\n\r\n").encode() + body
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            length = next((int(line.split(":", 1)[1]) for line in lines
                           if line.lower().startswith("content-length:")), 0)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            statuses[int(lines[0].split()[1])] += 1
            if any(line.lower() == "connection: close" for line in lines):
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


async def run(url: str, bodies: list[bytes], connections: int, headers: dict[str, str]) -> dict:
    """POST every body to ``url`` over ``connections`` connections; throughput and latencies."""
    parts = urlsplit(url)
    header_text = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    queue = list(reversed(bodies))
    latencies: list[float] = []
    statuses: Counter = Counter()
    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(
        _worker(parts.hostname, parts.port, parts.path, header_text, queue, latencies, statuses)
        for _ in range(connections))), DEADLINE)
    seconds = time.perf_counter() - start
    ordered = sorted(latencies)
    return {"requests": len(latencies), "seconds": seconds, "rate": len(latencies) / seconds,
            "p50_ms": ordered[len(ordered) // 2] * 1000,
            "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
            "statuses": {str(k): v for k, v in statuses.items()},
            "latencies_ms": [round(t * 1000, 3) for t in ordered]}


def main(argv: list[str]) -> int:
    url, bodies_path, connections = argv[0], argv[1], int(argv[2])
    headers = dict(h.split(": ", 1) for h in argv[3:])
    with open(bodies_path, "rb") as f:
        bodies = [line.rstrip(b"\n") for line in f if line.strip()]
    print(json.dumps(asyncio.run(run(url, bodies, connections, headers))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
