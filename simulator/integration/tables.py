"""Write a simulated run into the run directory, in the same tables as a live run.

``erp/documents.parquet`` and ``erp/document_lines.parquet`` (the POS lines as posted, each
document's tax spread over its lines by largest remainder), ``erp/journal.parquet`` (one
row per request with the live journal's main columns, plus ``t`` in simulated seconds,
``kind`` single | batch and ``operations``; ``document_id`` is a batch's first document),
``samples/stock.parquet`` (bounded: see `simulator.integration.drift`),
``samples/drift.parquet`` (every pair, aggregated per sample), ``samples/erp.parquet``
(requests, 429s, 5xx and utilisation per sample interval), ``samples/connector.parquet``
and ``faults.parquet``. Wall-clock columns are null: a simulation has no wall clock. Every
table goes through the run-directory contract (`domain.rundir.write_table`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from domain.rundir import Data, write_table
from simulator.integration.config import ModelConfig
from simulator.integration.drift import Drift, StockMoves
from simulator.integration.outcome import Outcome
from simulator.integration.stream import JOURNAL, KINDS, DocStream

__all__ = ["connector_samples", "write_tables"]

_ID = pa.dictionary(pa.int32(), pa.string())


def _write(run_dir: Path, name: str, columns: Data) -> None:
    write_table(run_dir, name, columns, compression="snappy")


def _nulls(n: int, kind: pa.DataType | None = None) -> pa.Array:
    return pa.nulls(n, type=kind or pa.float64())


def connector_samples(
    stream: DocStream, outcome: Outcome, grid: np.ndarray
) -> dict[str, np.ndarray]:
    """Backlog (completed at the POS, not committed), posted, retries, dead letters."""
    own = (stream.origin == np.arange(len(stream))) & (stream.kind != JOURNAL)
    t = np.sort(stream.t[own])
    done = np.sort(outcome.committed[own][~np.isnan(outcome.committed[own])])
    completed = np.searchsorted(t, grid, side="right")
    posted = np.searchsorted(done, grid, side="right")
    return {
        "t": grid,
        "backlog": (completed - posted).astype(np.int64),
        "posted": posted.astype(np.int64),
        "retries": np.searchsorted(np.sort(outcome.retry_t), grid, side="right").astype(np.int64),
        "dead_letters": np.searchsorted(np.sort(outcome.dead_t), grid, side="right").astype(
            np.int64
        ),
    }


def erp_samples(outcome: Outcome, grid: np.ndarray, concurrency: int) -> dict[str, np.ndarray]:
    """Per sample interval (t − step, t]: requests sent, 429s, 5xx, and ERP utilisation
    (slot-seconds of service finished in the interval / (concurrency × step))."""
    step = float(grid[1] - grid[0]) if len(grid) > 1 else 1.0
    width = len(grid)

    def per_bin(times: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        index = np.clip(np.ceil(times / step).astype(np.int64), 0, width - 1)
        return np.bincount(index, weights=weights, minlength=width)[:width]

    finished = outcome.req_t + outcome.req_latency
    busy = per_bin(finished, outcome.req_service)
    status = outcome.req_status
    return {
        "t": grid,
        "requests": per_bin(outcome.req_t).astype(np.int64),
        "status_429": per_bin(outcome.req_t[status == 429]).astype(np.int64),
        "status_5xx": per_bin(outcome.req_t[status >= 500]).astype(np.int64),
        "utilisation": busy / (concurrency * step),
    }


def write_tables(
    run_dir: Path,
    *,
    stream: DocStream,
    outcome: Outcome,
    drift: Drift,
    moves: StockMoves,
    config: ModelConfig,
    currency: str,
    connector: dict[str, np.ndarray],
) -> None:
    """All the simulated run's tables (see the module docstring)."""
    _documents(run_dir, stream, outcome, currency)
    _document_lines(run_dir, stream, outcome, moves)
    _journal(run_dir, stream, outcome)
    _stock(run_dir, drift, moves)
    g = len(connector["t"])
    _write(
        run_dir,
        "samples/connector",
        {
            "t": connector["t"],
            "wall": _nulls(g),
            **{k: connector[k] for k in ("backlog", "posted", "retries", "dead_letters")},
        },
    )
    _write(run_dir, "samples/erp", erp_samples(outcome, drift.t, config.concurrency))
    _write(
        run_dir,
        "samples/drift",
        {
            "t": drift.t,
            "abs_units": drift.abs_units,
            "pairs_off": drift.pairs_off,
            "max_abs": drift.max_abs,
            "oversell_units": drift.oversell_units,
        },
    )
    w = config.faults.windows
    _write(
        run_dir,
        "faults",
        {
            "id": pa.array([str(x.id) for x in w], pa.string()),
            "target": pa.array([x.target for x in w], pa.string()),
            "kind": pa.array([x.kind for x in w], pa.string()),
            "start_t": pa.array([x.start_t for x in w], pa.float64()),
            "end_t": pa.array([x.end_t for x in w], pa.float64()),
            "start_wall": _nulls(len(w)),
            "end_wall": _nulls(len(w)),
            "params": pa.array([x.params() for x in w], pa.string()),
        },
    )


def _external_numbers(stream: DocStream, docs: np.ndarray) -> pa.Array:
    """txn_id of each document (its original's, for duplicates); journals get their own."""
    origin = stream.origin[docs]
    base = len(stream.txn_id) if stream.txn_id is not None else 0
    real = origin < base
    out = np.full(len(docs), None, dtype=object)
    if stream.txn_id is not None and real.any():
        out[real] = stream.txn_id.take(pa.array(origin[real])).to_numpy(zero_copy_only=False)
    for i in np.flatnonzero(~real).tolist():
        d = int(docs[i])
        prefix = "JRNL" if stream.kind[d] == JOURNAL else "SIM"
        out[i] = f"{prefix}-S{stream.store[d] + 1:04d}-{int(stream.t[d])}-{d}"
    return pa.array(out, pa.string())


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    text = pc.cast(pa.array(numbers, pa.int64()), pa.string())
    return pc.binary_join_element_wise(pa.scalar(prefix), text, "")


def _documents(run_dir: Path, stream: DocStream, outcome: Outcome, currency: str) -> None:
    done = np.flatnonzero(~np.isnan(outcome.committed))
    done = done[np.argsort(outcome.committed[done], kind="stable")]
    origin = stream.origin[done]
    base = len(stream.total_minor) if stream.total_minor is not None else 0
    real = origin < base
    total = np.zeros(len(done), dtype=np.int64)
    tax = np.zeros(len(done), dtype=np.int64)
    if stream.total_minor is not None and stream.tax_minor is not None:
        total[real] = stream.total_minor[origin[real]]
        tax[real] = stream.tax_minor[origin[real]]
    stores = int(stream.store.max(initial=0)) + 1
    _write(
        run_dir,
        "erp/documents",
        {
            "document_id": _ids("SIM-", done),
            "kind": pa.DictionaryArray.from_arrays(
                pa.array(stream.kind[done].astype(np.int32)), pa.array(list(KINDS))
            ),
            "external_document_number": _external_numbers(stream, done),
            "store_id": pa.DictionaryArray.from_arrays(
                pa.array(stream.store[done].astype(np.int32)),
                pa.array([f"S{s + 1:04d}" for s in range(stores)]),
            ),
            "status": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(len(done), dtype=np.int32)), pa.array(["posted"])
            ),
            "total_minor": total,
            "tax_minor": tax,
            "currency": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(len(done), dtype=np.int32)), pa.array([currency])
            ),
            "created_wall": _nulls(len(done)),
            "committed_t": outcome.committed[done],
        },
    )


def line_taxes(
    doc: NDArray[np.int64], exact: NDArray[np.float64], total: NDArray[np.float64]
) -> NDArray[np.int64]:
    """Each document's tax ``total[doc]`` spread over its lines by largest remainder, so
    every line is within one minor unit of its exact tax (rate × net) and they sum up."""
    floor = np.floor(exact)
    deficit = total - np.bincount(doc, weights=floor, minlength=len(total))
    order = np.lexsort((-(exact - floor), doc))
    sorted_doc = doc[order]
    first = np.searchsorted(sorted_doc, sorted_doc, side="left")
    rank = np.arange(len(doc)) - first
    extra = np.zeros(len(doc))
    extra[order] = np.clip(deficit[sorted_doc] - rank, 0, 1)
    last = np.r_[sorted_doc[1:] != sorted_doc[:-1], True] if len(doc) else np.zeros(0, bool)
    spill = np.zeros(len(doc))
    count = np.bincount(doc, minlength=len(total))
    spill[order[last]] = np.maximum(deficit[sorted_doc[last]] - count[sorted_doc[last]], 0)
    taxes: NDArray[np.int64] = (floor + extra + spill).astype(np.int64)
    return taxes


def _document_lines(run_dir: Path, stream: DocStream, outcome: Outcome, moves: StockMoves) -> None:
    posted = ~np.isnan(outcome.committed[moves.doc])
    doc = moves.doc[posted]
    net = moves.quantity[posted] * moves.unit_price[posted] - moves.discount[posted]
    tax_total = np.zeros(len(stream), dtype=np.float64)
    if stream.tax_minor is not None:
        tax_total[: len(stream.tax_minor)] = stream.tax_minor
    tax = line_taxes(doc, moves.tax_rate[posted] * net, tax_total)
    n_sku = max(1, len(moves.sku_ids))
    _write(
        run_dir,
        "erp/document_lines",
        {
            "document_id": _ids("SIM-", doc),
            "line_no": moves.line_no[posted].astype(np.int32),
            "sku": pa.DictionaryArray.from_arrays(
                pa.array((moves.pair[posted] % n_sku).astype(np.int32)),
                pa.array(moves.sku_ids, pa.string()),
            ),
            "quantity": moves.quantity[posted].astype(np.float64),
            "unit_price_minor": moves.unit_price[posted],
            "discount_minor": moves.discount[posted],
            "tax_minor": tax,
            "description": pa.nulls(len(doc), pa.string()),
        },
    )


def _journal(run_dir: Path, stream: DocStream, outcome: Outcome) -> None:
    n = len(outcome.req_t)
    batch = outcome.req_batch
    kind = pa.DictionaryArray.from_arrays(
        pa.array(batch.astype(np.int32)), pa.array(["single", "batch"])
    )
    step = (
        np.zeros(n, dtype=np.int32)
        if outcome.req_step is None
        else outcome.req_step.astype(np.int32)
    )
    # single: create (POST salesInvoices), post (its bound action), look-up (GET by number)
    where = np.where(batch, 3, step)
    path = pa.DictionaryArray.from_arrays(
        pa.array(where),
        pa.array(
            [
                "/api/v2.0/salesInvoices",
                "/api/v2.0/salesInvoices/Microsoft.NAV.post",
                "/api/v2.0/salesInvoices",
                "/api/v2.0/$batch",
            ]
        ),
    )
    method = pa.DictionaryArray.from_arrays(
        pa.array(np.where(batch | (step != 2), 0, 1).astype(np.int32)), pa.array(["POST", "GET"])
    )
    _write(
        run_dir,
        "erp/journal",
        {
            "id": np.arange(1, n + 1, dtype=np.int64),
            "t": outcome.req_t,
            "ts": _nulls(n, pa.timestamp("us", tz="UTC")),
            "worker": np.zeros(n, dtype=np.int32),
            "credential": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(n, dtype=np.int32)), pa.array(["connector"])
            ),
            "method": method,
            "path": path,
            "status": outcome.req_status,
            "latency_ms": outcome.req_latency * 1000.0,
            "operations": outcome.req_ops,
            "kind": kind,
            "document_id": _ids("SIM-", outcome.req_doc),
        },
    )


def _stock(run_dir: Path, drift: Drift, moves: StockMoves) -> None:
    k, g = drift.pos.shape if drift.pos.ndim == 2 else (0, len(drift.t))
    n_sku = len(moves.sku_ids)
    store = (drift.tracked // n_sku).astype(np.int32)
    sku = (drift.tracked % n_sku).astype(np.int32)
    _write(
        run_dir,
        "samples/stock",
        {
            "sample_id": np.tile(np.arange(g, dtype=np.int64), k),
            "t": np.tile(drift.t, k),
            "wall": _nulls(k * g),
            "store_id": pa.DictionaryArray.from_arrays(
                pa.array(np.repeat(store, g)), pa.array(moves.store_ids)
            ),
            "sku": pa.DictionaryArray.from_arrays(
                pa.array(np.repeat(sku, g)), pa.array(moves.sku_ids)
            ),
            "pos_qty": drift.pos.reshape(-1).astype(np.float64),
            "erp_qty": drift.erp.reshape(-1).astype(np.float64),
        },
    )
