"""Closed-loop HTTP load with wrk (a C load generator, Debian package ``wrk``), for
benchmarks on small machines where a Python generator would take the core the server needs.

A generated Lua script sends POST bodies from a list in turn, each with a unique number in
place of ``@@N@@`` (as ``benchmarks.loadgen`` does), counts the answers by status and prints a
JSON summary. wrk keeps every connection busy (closed loop); for a fixed request rate use
``benchmarks.loadgen`` (wrk cannot pace requests).
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mocks.core.errors import MockError

PLACEHOLDER = "@@N@@"

_SCRIPT = """
local bodies = {%(bodies)s}
local path = %(path)s
local headers = {["Content-Type"] = "application/json"%(auth)s}
local base = %(base)d
local stride = %(threads)d
local threads = {}
local counter = 0
statuses = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local n = base + counter * stride + tid
  local body = string.gsub(bodies[counter %% #bodies + 1], "@@N@@", string.format("%%.0f", n))
  return wrk.format("POST", path, headers, body)
end

function response(status, _headers, _body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, _requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(merged) do
    table.insert(parts, string.format('"%%d": %%d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    '{"wrk": {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "socket_errors": %%d, "timeouts": %%d, "statuses": {%%s}}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect + e.read + e.write, e.timeout, table.concat(parts, ", ")))
end
"""


def available() -> bool:
    """True when the ``wrk`` executable is on the PATH."""
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def script(*, path: str, bodies: Sequence[str], token: str, base: int, threads: int) -> str:
    """The Lua script for one run (``base``: first unique number)."""
    auth = f', ["Authorization"] = {_lua_string("Bearer " + token)}' if token else ""
    return _SCRIPT % {
        "bodies": ",\n".join(_lua_string(b) for b in bodies),
        "path": _lua_string(path),
        "auth": auth,
        "base": base,
        "threads": threads,
    }


def run(
    *,
    port: int,
    path: str,
    bodies: Sequence[str],
    token: str = "",
    connections: int = 32,
    duration: float = 5.0,
    warmup: float = 1.0,
    threads: int = 1,
    host: str = "127.0.0.1",
) -> dict[str, Any]:
    """A warm-up run (not measured), then ``duration`` seconds of closed-loop load.

    Returns the fields of ``benchmarks.loadgen.summarize`` plus ``generator`` and
    ``generator_cpu_s`` (CPU seconds wrk used in the measured run)."""
    if not available():
        raise MockError("wrk is not installed: apt-get install -y wrk")
    with tempfile.TemporaryDirectory(prefix="tillbench-wrk-") as tmp:
        if warmup > 0:
            _once(tmp, host, port, path, bodies, token, connections, warmup, threads)
        return _once(tmp, host, port, path, bodies, token, connections, duration, threads)


def _once(
    tmp: str,
    host: str,
    port: int,
    path: str,
    bodies: Sequence[str],
    token: str,
    connections: int,
    duration: float,
    threads: int,
) -> dict[str, Any]:
    base = time.time_ns() // 1_000_000 % 10**9 * 1000
    lua = Path(tmp) / f"post-{base}.lua"
    lua.write_text(script(path=path, bodies=bodies, token=token, base=base, threads=threads))
    seconds = max(1, round(duration))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(lua),
        f"http://{host}:{port}",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise MockError(f"wrk exited with {done.returncode}: {done.stderr[-2000:]}")
    summary = next(
        (json.loads(line)["wrk"] for line in done.stdout.splitlines() if line.startswith('{"wrk"')),
        None,
    )
    if summary is None:
        raise MockError(f"wrk printed no summary: {done.stdout[-2000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return summarize(summary, cpu)


def summarize(summary: dict[str, Any], cpu_seconds: float) -> dict[str, Any]:
    """The script's summary in the shape of ``benchmarks.loadgen.summarize``."""
    statuses = {str(k): int(v) for k, v in sorted(summary["statuses"].items(), key=_num)}
    wall = max(summary["duration_us"] / 1e6, 1e-9)
    ok = sum(n for status, n in statuses.items() if 200 <= int(status) < 300)
    return {
        "requests": int(summary["requests"]),
        "ok": ok,
        "throughput_rps": round(ok / wall, 1),
        "p50_ms": round(summary["p50_us"] / 1000, 3),
        "p99_ms": round(summary["p99_us"] / 1000, 3),
        "max_ms": round(summary["max_us"] / 1000, 3),
        "statuses": statuses,
        "connection_failures": int(summary["socket_errors"]) + int(summary["timeouts"]),
        "generator": "wrk",
        "generator_cpu_s": round(cpu_seconds, 3),
        "wall_s": round(wall, 3),
    }


def _num(item: tuple[Any, Any]) -> int:
    return int(item[0])
