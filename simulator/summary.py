"""What a traffic simulation produced, in numbers: `TrafficSummary` and its accumulator."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["LaneStats", "SummaryBuilder", "TrafficSummary"]

_WAIT_BIN_S = 0.5
_WAIT_BINS = int(6 * 3600 / _WAIT_BIN_S)


@dataclasses.dataclass(frozen=True, slots=True)
class LaneStats:
    """Queue waits at one lane type (percentiles to the nearest half second)."""

    customers: int
    mean_wait_s: float
    p50_wait_s: float
    p95_wait_s: float
    p99_wait_s: float
    max_wait_s: float
    mean_queue_length: float


@dataclasses.dataclass(frozen=True, slots=True)
class TrafficSummary:
    """Totals of a run; money in minor units of ``currency``."""

    scenario: str
    seed: int
    days: int
    stores: int
    currency: str
    customers: int
    """customers served at a lane (sales, returns, cancels)"""
    transactions: int
    """completed sales"""
    returns: int
    cancels: int
    post_voids: int
    units: int
    """units sold, net of post-voided sales"""
    revenue_minor: int
    """completed sales' totals (tax included), net of post-voided sales"""
    refunds_minor: int
    revenue_by_store: dict[str, int]
    revenue_by_hour: list[int]
    """by local hour of completion (a post-void counts at its own hour), all days together"""
    transactions_by_hour: list[int]
    stock_out_lines: int
    lost_units: int
    walkouts: int
    """customers who found none of their items and left without a transaction"""
    shrink_units: int
    received_units: int
    queues: dict[str, LaneStats]
    elapsed_s: float = 0.0

    @property
    def customers_per_s(self) -> float:
        return self.customers / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values."""
        out = dataclasses.asdict(self)
        out["customers_per_s"] = self.customers_per_s
        return out


class SummaryBuilder:
    """Folds chunk tables into a `TrafficSummary`."""

    def __init__(
        self, *, scenario: str, seed: int, days: int, store_ids: list[str], currency: str
    ) -> None:
        self._scenario, self._seed, self._days = scenario, seed, days
        self._currency = currency
        self._store_ids = store_ids
        self._by_store = np.zeros(len(store_ids), np.int64)
        self._by_hour = np.zeros(24, np.int64)
        self._count_hour = np.zeros(24, np.int64)
        self._counts = dict.fromkeys(("sale", "return", "cancel", "post_void"), 0)
        self._units = 0
        self._revenue = 0
        self._refunds = 0
        self._stock_out_lines = 0
        self._lost = 0
        self._walkouts = 0
        self._shrink = 0
        self._received = 0
        self._hist = {k: np.zeros(_WAIT_BINS + 1, np.int64) for k in ("staffed", "self_checkout")}
        self._wait_sum = dict.fromkeys(self._hist, 0.0)
        self._qlen_sum = dict.fromkeys(self._hist, 0)
        self._wait_max = dict.fromkeys(self._hist, 0.0)

    def add(self, tables: dict[str, pa.Table]) -> None:
        tx = tables["transactions"]
        kind = tx.column("kind")
        for name in self._counts:
            self._counts[name] += int(_equals(kind, name).sum())
        sale = _equals(kind, "sale")
        reversal = _equals(kind, "post_void")
        total = tx.column("total_minor").to_numpy()
        signed = np.where(sale, total, np.where(reversal, -total, 0))
        units = tx.column("units").to_numpy()
        store = _indices(tx.column("store_id"))
        hour = (tx.column("completed_at").to_numpy().astype("datetime64[h]").astype(np.int64)) % 24
        self._by_store += np.bincount(store, weights=signed, minlength=len(self._by_store)).astype(
            np.int64
        )
        self._by_hour += np.bincount(hour, weights=signed, minlength=24).astype(np.int64)
        self._count_hour += np.bincount(hour[sale], minlength=24)
        self._units += int(units[sale].sum() - units[reversal].sum())
        self._revenue += int(signed.sum())
        self._refunds += int(total[_equals(kind, "return")].sum())

        so = tables["stock_outs"]
        self._stock_out_lines += so.num_rows
        self._lost += int(so.column("lost").to_numpy().sum())
        self._walkouts += len(set(_walkout_keys(so)))
        mv = tables["stock_movements"]
        qty = mv.column("quantity").to_numpy()
        self._shrink += int(-qty[qty < 0].sum())
        self._received += int(qty[qty > 0].sum())

        q = tables["queue"]
        lane = q.column("lane")
        wait = q.column("wait_s").to_numpy()
        qlen = q.column("queue_length").to_numpy()
        bins = np.minimum((wait / _WAIT_BIN_S).astype(np.int64), _WAIT_BINS)
        for name, hist in self._hist.items():
            mask = _equals(lane, name)
            hist += np.bincount(bins[mask], minlength=_WAIT_BINS + 1)
            self._wait_sum[name] += float(wait[mask].sum())
            self._qlen_sum[name] += int(qlen[mask].sum())
            if mask.any():
                self._wait_max[name] = max(self._wait_max[name], float(wait[mask].max()))

    def build(self, elapsed_s: float) -> TrafficSummary:
        queues = {}
        for name, hist in self._hist.items():
            n = int(hist.sum())
            if n == 0:
                continue
            cdf = np.cumsum(hist) / n

            def pct(q: float, cdf: np.ndarray = cdf) -> float:
                return float(np.searchsorted(cdf, q) * _WAIT_BIN_S)

            queues[name] = LaneStats(
                customers=n,
                mean_wait_s=self._wait_sum[name] / n,
                p50_wait_s=pct(0.50),
                p95_wait_s=pct(0.95),
                p99_wait_s=pct(0.99),
                max_wait_s=self._wait_max[name],
                mean_queue_length=self._qlen_sum[name] / n,
            )
        return TrafficSummary(
            scenario=self._scenario,
            seed=self._seed,
            days=self._days,
            stores=len(self._store_ids),
            currency=self._currency,
            customers=sum(q.customers for q in queues.values()),
            transactions=self._counts["sale"],
            returns=self._counts["return"],
            cancels=self._counts["cancel"],
            post_voids=self._counts["post_void"],
            units=self._units,
            revenue_minor=self._revenue,
            refunds_minor=self._refunds,
            revenue_by_store=dict(zip(self._store_ids, self._by_store.tolist(), strict=True)),
            revenue_by_hour=self._by_hour.tolist(),
            transactions_by_hour=self._count_hour.tolist(),
            stock_out_lines=self._stock_out_lines,
            lost_units=self._lost,
            walkouts=self._walkouts,
            shrink_units=self._shrink,
            received_units=self._received,
            queues=queues,
            elapsed_s=elapsed_s,
        )


def _indices(column: pa.ChunkedArray) -> np.ndarray:
    return (
        np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in column.chunks])
        if column.num_chunks
        else np.zeros(0, np.int64)
    )


def _equals(column: pa.ChunkedArray, value: str) -> np.ndarray:
    """Mask of rows of a dictionary column equal to ``value``, comparing indices only."""
    parts = []
    for chunk in column.chunks:
        values = chunk.dictionary.to_pylist()
        indices = chunk.indices.to_numpy(zero_copy_only=False)
        code = values.index(value) if value in values else -1
        parts.append(indices == code)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _walkout_keys(so: pa.Table) -> list[tuple[str, float]]:
    no_txn = so.column("txn_id").is_null().to_numpy(zero_copy_only=False)
    if not no_txn.any():
        return []
    t = so.column("t").to_numpy()[no_txn]
    store = _indices(so.column("store_id"))[no_txn]
    return list(zip(store.tolist(), t.tolist(), strict=True))
