"""`DocStream`: the documents the connector must post, in the order the POS made them.

One document per POS sale (invoice), return and post-void (credit memo), read from the
truth tables the traffic simulator wrote; cancelled sales never reach the ERP. Each
document knows its completion time at the POS, the time the connector sees it (webhook
delay and the faults of `FaultWindows.visible_at`), the stock it moves, and two random draws
per document that the engines use for service-time noise, fault shares and backoff jitter,
so that the fast path and the SimPy model draw the same numbers.

Hybrid mode adds one ``journal`` document per store and interval with sales (the day's
financial postings) that travels in batches. Webhook duplicates are extra documents that
point at their original (``origin``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from numpy.typing import NDArray

from simulator.integration.config import ModelConfig
from simulator.integration.errors import MissingTruth

__all__ = ["INVOICE", "JOURNAL", "KINDS", "MEMO", "DocStream", "load_stream", "poisson_stream"]

INVOICE, MEMO, JOURNAL = 0, 1, 2
KINDS = ("invoice", "credit_memo", "journal")
_POSTED = {"sale": INVOICE, "return": MEMO, "post_void": MEMO}

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DocStream:
    """Documents as parallel arrays (index = document number)."""

    t: F64
    """completion at the POS (seconds since the scenario start)"""
    ready: F64
    """when the connector sees it"""
    kind: NDArray[np.int8]
    store: I64
    batched: NDArray[np.bool_]
    """travels in the interval's batch (batch mode; journals in hybrid mode)"""
    origin: I64
    """the document this one duplicates, or its own index"""
    z: F64
    """standard normal draws (service noise)"""
    u: F64
    """uniform draws (fault shares, backoff jitter)"""
    txn_id: pa.Array | None = None
    total_minor: I64 | None = None
    tax_minor: I64 | None = None
    txn_row: I64 | None = None
    """row of each POS document in truth/transactions.parquet"""

    def __len__(self) -> int:
        return len(self.t)

    @property
    def sales(self) -> int:
        return int(np.count_nonzero((self.kind == INVOICE) & (self.origin == np.arange(len(self)))))


def _webhook_delay(config: ModelConfig, n: int, rng: np.random.Generator) -> F64:
    o = config.options
    if o.webhook_median_s <= 0:
        return np.zeros(n)
    return np.asarray(o.webhook_median_s * np.exp(config.webhook_sigma * rng.standard_normal(n)))


def assemble(
    *,
    t: F64,
    kind: NDArray[np.int8],
    store: I64,
    config: ModelConfig,
    rng: np.random.Generator,
    stores: int,
    txn_id: pa.Array | None = None,
    total_minor: I64 | None = None,
    tax_minor: I64 | None = None,
    txn_row: I64 | None = None,
) -> DocStream:
    """Add webhook delays, faults, duplicates and hybrid journals to POS documents."""
    n = len(t)
    u0 = rng.random(n)
    batch = config.mode == "batch"
    if batch:
        ready = t.copy()
        duplicate = np.zeros(n, dtype=np.bool_)
        ready, _ = config.faults.visible_at(ready, store, u0, reconcile_s=config.interval_s)
    else:
        ready, duplicate = config.faults.visible_at(
            t + _webhook_delay(config, n, rng), store, u0, reconcile_s=config.interval_s
        )
    origin = np.arange(n, dtype=np.int64)
    if config.options.inbox:
        duplicate = np.zeros(n, dtype=np.bool_)  # dropped by the connector's inbox
    dups = np.flatnonzero(duplicate)
    parts_t, parts_ready = (
        [t, t[dups]],
        [ready, ready[dups] + _webhook_delay(config, len(dups), rng)],
    )
    parts_kind, parts_store, parts_origin = [kind, kind[dups]], [store, store[dups]], [origin, dups]
    parts_batched = [np.full(n, batch), np.zeros(len(dups), dtype=np.bool_)]
    if config.mode == "hybrid" and n:
        slot = np.floor(t / config.interval_s).astype(np.int64)
        key = np.unique(slot * stores + store)
        jt = (key // stores + 1) * config.interval_s
        parts_t.append(jt)
        parts_ready.append(jt)
        parts_kind.append(np.full(len(key), JOURNAL, dtype=np.int8))
        parts_store.append(key % stores)
        parts_origin.append(np.arange(n + len(dups), n + len(dups) + len(key), dtype=np.int64))
        parts_batched.append(np.ones(len(key), dtype=np.bool_))
    total = sum(len(p) for p in parts_t)
    return DocStream(
        t=np.concatenate(parts_t),
        ready=np.concatenate(parts_ready),
        kind=np.concatenate(parts_kind).astype(np.int8),
        store=np.concatenate(parts_store).astype(np.int64),
        batched=np.concatenate(parts_batched),
        origin=np.concatenate(parts_origin),
        z=rng.standard_normal(total),
        u=rng.random(total),
        txn_id=txn_id,
        total_minor=total_minor,
        tax_minor=tax_minor,
        txn_row=txn_row,
    )


def load_stream(run_dir: Path, config: ModelConfig, *, seed: int, stores: int) -> DocStream:
    """Documents of a run directory's ``truth/transactions.parquet``."""
    path = Path(run_dir) / "truth" / "transactions.parquet"
    if not path.exists():
        raise MissingTruth(path)
    table = pq.read_table(
        path, columns=["txn_id", "kind", "store_id", "t", "total_minor", "tax_minor"]
    )
    kinds = pc.cast(table["kind"], pa.string()).to_numpy(zero_copy_only=False)
    code = np.full(len(kinds), -1, dtype=np.int8)
    for name, value in _POSTED.items():
        code[kinds == name] = value
    keep = np.flatnonzero(code >= 0)
    t = table["t"].to_numpy()[keep]
    order = np.argsort(t, kind="stable")
    keep = keep[order]
    store = _store_index(table["store_id"])[keep]
    return assemble(
        t=t[order],
        kind=code[keep],
        store=store,
        config=config,
        rng=np.random.default_rng([seed, 7]),
        stores=stores,
        txn_id=table["txn_id"].take(pa.array(keep)),
        total_minor=table["total_minor"].to_numpy()[keep],
        tax_minor=table["tax_minor"].to_numpy()[keep],
        txn_row=keep.astype(np.int64),
    )


def _store_index(column: pa.ChunkedArray) -> I64:
    """0-based store numbers from ids ``S0001``…"""
    encoded = column.combine_chunks()
    if not pa.types.is_dictionary(encoded.type):
        encoded = encoded.dictionary_encode()
    numbers = np.array([int(s[1:]) - 1 for s in encoded.dictionary.to_pylist()], dtype=np.int64)
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    return numbers[indices] if len(numbers) else np.zeros(len(indices), dtype=np.int64)


def poisson_stream(
    *, rate: float, horizon_s: float, config: ModelConfig, seed: int, stores: int = 1
) -> DocStream:
    """Sales arriving as a Poisson process of ``rate`` per second (validation tests)."""
    rng = np.random.default_rng([seed, 11])
    n = int(rng.poisson(rate * horizon_s))
    t = np.sort(rng.uniform(0.0, horizon_s, n))
    return assemble(
        t=t,
        kind=np.zeros(n, dtype=np.int8),
        store=rng.integers(0, stores, n),
        config=config,
        rng=rng,
        stores=stores,
    )
