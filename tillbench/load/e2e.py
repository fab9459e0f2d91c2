"""End-to-end latency: POS acceptance joined with the ERP commit by sale id.

The Locust registers append ``txn_id,accepted_wall`` to ``accepted-<pid>.csv`` in
``TILLBENCH_ACCEPT_DIR`` when the POS answers 2xx; the ERP journal holds every
``salesInvoices`` POST with its arrival time, latency and ``ref`` (the
``externalDocumentNumber``, which the connectors set to the POS reference id = txn id).
Commit = arrival + latency of the first 2xx post of that reference.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import httpx

__all__ = ["E2E", "accepted", "end_to_end", "erp_commits", "fetch_journal"]


@dataclasses.dataclass(frozen=True, slots=True)
class E2E:
    """End-to-end latencies (seconds) of the sales that reached the ERP, and the rest."""

    latencies_s: tuple[float, ...]
    accepted: int
    committed: int

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_s)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]

    def summary(self) -> dict[str, float | int]:
        return {
            "accepted": self.accepted,
            "committed": self.committed,
            "missing": self.accepted - self.committed,
            "p50_s": self.percentile(0.5),
            "p95_s": self.percentile(0.95),
            "max_s": max(self.latencies_s, default=float("nan")),
        }


def accepted(accept_dir: Path) -> dict[str, float]:
    """txn id → wall time the POS accepted it (the earliest, if sent twice)."""
    out: dict[str, float] = {}
    for path in sorted(accept_dir.glob("accepted-*.csv")):
        with path.open(newline="") as handle:
            for row in csv.reader(handle):
                if len(row) == 2:
                    txn, wall = row[0], float(row[1])
                    out[txn] = min(wall, out.get(txn, wall))
    return out


def erp_commits(rows: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """ref → commit wall time of its first successful ``salesInvoices`` POST."""
    out: dict[str, float] = {}
    for row in rows:
        if row.get("method") != "POST" or not str(row.get("path", "")).endswith("/salesInvoices"):
            continue
        if not 200 <= int(row.get("status") or 0) < 300 or not row.get("ref"):
            continue
        done = float(row["ts"]) + float(row.get("latency_ms") or 0.0) / 1000
        ref = str(row["ref"])
        out[ref] = min(done, out.get(ref, done))
    return out


def end_to_end(accepts: Mapping[str, float], commits: Mapping[str, float]) -> E2E:
    """Join acceptance and commit by sale id."""
    latencies = tuple(commits[txn] - wall for txn, wall in accepts.items() if txn in commits)
    return E2E(latencies_s=latencies, accepted=len(accepts), committed=len(latencies))


def fetch_journal(base: str, *, admin_token: str, path_prefix: str) -> list[dict[str, Any]]:
    """Every journal row of the mock at ``base`` under ``path_prefix`` (paged)."""
    rows: list[dict[str, Any]] = []
    since = 0
    headers = {"Authorization": f"Bearer {admin_token}"}
    with httpx.Client(timeout=60, headers=headers) as client:
        while True:
            response = client.get(
                f"{base}/admin/journal",
                params={"since_id": since, "limit": 10_000, "path_prefix": path_prefix},
            )
            response.raise_for_status()
            page = response.json()
            rows.extend(page["rows"])
            if not page["rows"]:
                return rows
            since = int(page["next_since_id"])
