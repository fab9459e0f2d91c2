"""A small HTTP/1.1 load generator on raw asyncio sockets, run in its own process.

Closed loop (``rate`` None): each connection sends its next request as soon as the answer
arrives. Open loop (``rate`` in requests/s): requests are scheduled at fixed intervals and
latency counts from the scheduled time, so queueing is not hidden (no coordinated omission).
Every request body gets a unique counter in place of ``@@N@@``.

Usage: ``python -m benchmarks.loadgen '<json spec>'`` (or ``-`` and the spec on stdin) prints
a JSON result on stdout.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

PLACEHOLDER = b"@@N@@"


@dataclass(slots=True)
class Spec:
    """What to send, how hard, for how long."""

    port: int
    path: str
    body: str | list[str]
    """One body template, or several used in turn; ``@@N@@`` becomes a unique number."""
    token: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    """Extra request headers (e.g. ``X-Shopify-Access-Token``)."""
    connections: int = 32
    duration: float = 5.0
    warmup: float = 1.0
    rate: float | None = None
    host: str = "127.0.0.1"


@dataclass(slots=True)
class Tally:
    """Measurements after the warm-up."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: int = 0


def _request(spec: Spec, counter: itertools.count[int]) -> bytes:
    templates = [spec.body] if isinstance(spec.body, str) else spec.body
    head = (
        f"POST {spec.path} HTTP/1.1\r\nHost: {spec.host}:{spec.port}\r\n"
        f"Content-Type: application/json\r\n"
        + (f"Authorization: Bearer {spec.token}\r\n" if spec.token else "")
        + "".join(f"{name}: {value}\r\n" for name, value in spec.headers.items())
    ).encode()
    number = next(counter)
    template = templates[number % len(templates)].encode()
    body = template.replace(PLACEHOLDER, str(number).encode())
    return head + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


async def _read_status(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def _connection(
    spec: Spec, index: int, counter: itertools.count[int], tally: Tally, t0: float
) -> None:
    reader, writer = await asyncio.open_connection(spec.host, spec.port)
    clock = time.perf_counter
    measure_from = t0 + spec.warmup
    deadline = measure_from + spec.duration
    interval = None if spec.rate is None else spec.connections / spec.rate
    scheduled = t0 + (0.0 if interval is None else interval * index / spec.connections)
    try:
        while True:
            now = clock()
            if interval is None:
                scheduled = now
            elif scheduled > now:
                await asyncio.sleep(scheduled - now)
            if scheduled >= deadline:
                return
            writer.write(_request(spec, counter))
            try:
                status = await _read_status(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                tally.failures += 1
                writer.close()
                reader, writer = await asyncio.open_connection(spec.host, spec.port)
                status = 0
            done = clock()
            if scheduled >= measure_from:
                tally.latencies.append(done - scheduled)
                tally.statuses[status] += 1
            if interval is not None:
                scheduled += interval
    finally:
        writer.close()


async def _run(spec: Spec) -> dict[str, Any]:
    tally = Tally()
    counter = itertools.count(int(time.time() * 1000) % 10**9 * 1000)
    t0 = time.perf_counter()
    await asyncio.gather(
        *(_connection(spec, i, counter, tally, t0) for i in range(spec.connections))
    )
    return summarize(tally, spec.duration)


def summarize(tally: Tally, duration: float) -> dict[str, Any]:
    """Throughput of 2xx answers and latency percentiles in milliseconds."""
    ordered = sorted(tally.latencies)

    def pct(q: float) -> float:
        return (
            round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 3)
            if ordered
            else 0.0
        )

    ok = sum(n for status, n in tally.statuses.items() if 200 <= status < 300)
    return {
        "requests": len(ordered),
        "ok": ok,
        "throughput_rps": round(ok / duration, 1),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": round(ordered[-1] * 1000, 3) if ordered else 0.0,
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "connection_failures": tally.failures,
    }


def main(argv: list[str]) -> None:
    """Run the spec given as JSON in ``argv[1]`` (``-``: on stdin); print the result."""
    spec = Spec(**json.loads(sys.stdin.read() if argv[1] == "-" else argv[1]))
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(_run(spec))
    else:
        result = uvloop.run(_run(spec))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
