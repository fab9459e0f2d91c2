"""End-to-end latency: POS acceptance joined with the ERP commit by sale id.

The Locust registers append ``txn_id,accepted_wall,base_id,kind`` to ``accepted-<pid>.csv``
in ``TILLBENCH_ACCEPT_DIR`` when the POS answers 2xx (older files: ``txn_id,accepted_wall``,
sales only). Commits come from the ERP: `tillbench.load.invoices.InvoiceTail` reads the
invoices through its API (works whether the connector posts one invoice per request or a
``$batch``), or `erp_commits` reads the mock ERP's journal, where each ``salesInvoices``
POST has its arrival time, latency and ``ref`` (the ``externalDocumentNumber``, which the
connectors set to the POS reference id = txn id): commit = arrival + latency of the first
2xx post of that reference (one POST per invoice only).
"""

from __future__ import annotations

import csv
import dataclasses
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import httpx

__all__ = ["E2E", "Accept", "accept_rows", "accepted", "end_to_end", "erp_commits", "fetch_journal"]


@dataclasses.dataclass(frozen=True, slots=True)
class E2E:
    """End-to-end latencies (seconds) of the sales that reached the ERP, and the rest."""

    latencies_s: tuple[float, ...]
    accepted: int
    committed: int

    def percentile(self, q: float) -> float:
        """Over the committed sales only (nan if none)."""
        ordered = sorted(self.latencies_s)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]

    def percentile_all(self, q: float) -> float:
        """Over every accepted sale, one never committed counting as infinitely late (so
        more than 5 % missing makes the p95 infinite); nan if none was accepted."""
        if not self.accepted:
            return float("nan")
        ordered = sorted(self.latencies_s) + [math.inf] * (self.accepted - self.committed)
        return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]

    def summary(self) -> dict[str, float | int | None]:
        """Counts and percentiles of the committed sales (None when none was committed)."""
        if not self.latencies_s:
            p50 = p95 = top = None
        else:
            p50, p95, top = self.percentile(0.5), self.percentile(0.95), max(self.latencies_s)
        return {
            "accepted": self.accepted,
            "committed": self.committed,
            "missing": self.accepted - self.committed,
            "p50_s": p50,
            "p95_s": p95,
            "max_s": top,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Accept:
    """One transaction the POS accepted: tagged id, wall time, simulator id, kind."""

    txn_id: str
    wall: float
    base_id: str
    kind: str


def accept_rows(accept_dir: Path) -> list[Accept]:
    """Every transaction the POS accepted, first acceptance of each id, in wall order."""
    first: dict[str, Accept] = {}
    for path in sorted(accept_dir.glob("accepted-*.csv")):
        with path.open(newline="") as handle:
            for row in csv.reader(handle):
                if len(row) not in (2, 4):
                    continue
                base, kind = (row[2], row[3]) if len(row) == 4 else ("", "sale")
                found = Accept(txn_id=row[0], wall=float(row[1]), base_id=base, kind=kind)
                seen = first.get(found.txn_id)
                if seen is None or found.wall < seen.wall:
                    first[found.txn_id] = found
    return sorted(first.values(), key=lambda a: a.wall)


def accepted(accept_dir: Path) -> dict[str, float]:
    """Sale id → wall time the POS accepted it (the earliest, if sent twice)."""
    return {a.txn_id: a.wall for a in accept_rows(accept_dir) if a.kind == "sale"}


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
