"""Read Locust's ``*_stats.csv``: one row per request name plus the aggregate."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

from tillbench.load.errors import LoadError

__all__ = ["AGGREGATED", "RequestStats", "read_stats", "steady_rate"]

AGGREGATED = "Aggregated"


def _num(row: dict[str, str], key: str) -> float:
    raw = row.get(key, "")
    if raw in ("", "N/A"):
        return 0.0
    return float(raw)


@dataclasses.dataclass(frozen=True, slots=True)
class RequestStats:
    """Locust's figures for one request name (times in milliseconds)."""

    method: str
    name: str
    requests: int
    failures: int
    median_ms: float
    p95_ms: float
    p99_ms: float
    rps: float

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0


def read_stats(path: Path) -> dict[str, RequestStats]:
    """Rows of ``path`` by request name (the total under ``"Aggregated"``)."""
    try:
        with path.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise LoadError(f"cannot read Locust statistics {path}: {exc}") from None
    out = {}
    for row in rows:
        name = row.get("Name", "")
        out[name] = RequestStats(
            method=row.get("Type", ""),
            name=name,
            requests=int(_num(row, "Request Count")),
            failures=int(_num(row, "Failure Count")),
            median_ms=_num(row, "Median Response Time"),
            p95_ms=_num(row, "95%"),
            p99_ms=_num(row, "99%"),
            rps=_num(row, "Requests/s"),
        )
    if AGGREGATED not in out:
        raise LoadError(f"{path} has no Aggregated row; is it a Locust *_stats.csv?")
    return out


def steady_rate(history: Path, name: str = AGGREGATED, *, skip_s: float = 1.0) -> float | None:
    """Completed requests per second of ``name`` in Locust's ``*_stats_history.csv``, from
    ``skip_s`` after its first request to its last row (start-up and tail excluded); None
    when the history is too short to tell."""
    try:
        with history.open(newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r.get("Name") == name]
    except OSError:
        return None
    points = [(float(r["Timestamp"]), _num(r, "Total Request Count")) for r in rows]
    started = [p for p in points if p[1] > 0]
    if not started:
        return None
    begin = next((p for p in points if p[0] >= started[0][0] + skip_s), None)
    end = points[-1]
    if begin is None or end[0] - begin[0] < 2:
        return None
    return (end[1] - begin[1]) / (end[0] - begin[0])
