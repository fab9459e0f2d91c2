"""CPU accounting for benchmarks (Linux ``/proc``): how many cores went to the server, the
load generator, the database and everything else on the machine during a measurement.

On a 2-core machine a benchmark is only meaningful when it says who got the cores, so a
``CpuMeter`` reads the CPU time of named process groups and of the whole machine before
and after a run. Processes that exit during the run take their last slice with them (it
is not counted); processes that appear during the run count in full.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

_PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return text.rsplit(")", 1)[1].split()


def _ticks() -> int:
    return os.sysconf("SC_CLK_TCK")


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants that are alive now."""
    children: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def processes_named(prefix: str) -> list[int]:
    """Processes whose command name starts with ``prefix`` (e.g. ``postgres``)."""
    out = []
    for entry in _PROC.iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().startswith(prefix):
                    out.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
    return out


def cpu_seconds(pids: Iterable[int]) -> dict[int, float]:
    """User + system CPU seconds of each live process in ``pids``."""
    out = {}
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            out[pid] = (int(fields[11]) + int(fields[12])) / _ticks()
    return out


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle (nor waiting for I/O) since boot."""
    values = [int(v) for v in (_PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    guest = sum(values[8:10]) if len(values) > 9 else 0
    return (sum(values) - idle - guest) / _ticks()


PidSource = Callable[[], Iterable[int]]


class CpuMeter:
    """Cores used per process group between ``start()`` and ``stop()``.

    ``groups`` maps a name to a function listing that group's processes (called at start
    and at stop). ``stop()`` also reports ``machine`` (all busy cores) and ``other`` (busy
    cores not in any group: other work on the machine, and ``external`` seconds such as a
    load generator measured through ``resource.getrusage``)."""

    def __init__(self, groups: Mapping[str, PidSource]) -> None:
        self.groups = dict(groups)
        self._before: dict[str, dict[int, float]] = {}
        self._busy = 0.0
        self._t0 = 0.0

    def start(self) -> None:
        """Take the first reading."""
        self._before = {name: cpu_seconds(source()) for name, source in self.groups.items()}
        self._busy = machine_busy_seconds()
        self._t0 = time.perf_counter()

    def stop(self, *, external: Mapping[str, float] | None = None) -> dict[str, float]:
        """Cores per group (CPU seconds / wall seconds), rounded to 0.01.

        ``external``: CPU seconds of other groups measured by the caller, added as-is."""
        wall = max(time.perf_counter() - self._t0, 1e-9)
        busy = machine_busy_seconds() - self._busy
        used: dict[str, float] = {}
        for name, source in self.groups.items():
            before = self._before.get(name, {})
            after = cpu_seconds(source())
            used[name] = sum(t - before.get(pid, 0.0) for pid, t in after.items())
        used.update(external or {})
        cores = {name: round(seconds / wall, 2) for name, seconds in used.items()}
        cores["machine"] = round(busy / wall, 2)
        cores["other"] = round(max(0.0, busy - sum(used.values())) / wall, 2)
        cores["available"] = float(os.cpu_count() or 1)
        return cores
