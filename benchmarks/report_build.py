"""`make bench`: build the report of a synthetic live run with 1M transactions.

`write_synthetic_run` generates a complete run directory with numpy (truth, ERP documents
and their lines, journal, stock samples, connector samples, faults, summary.json) in a few
seconds — one line per transaction, so verification can re-derive its verdict;
`run` times `build_report` on it. The tests use the same generator at small sizes.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from domain.rundir.truth import (
    CATALOG,
    LINES,
    QUEUE,
    STOCK_FINAL,
    STOCK_MOVEMENTS,
    STOCK_OUTS,
    STORES,
)
from domain.rundir.truth import TRANSACTIONS as TXN_SCHEMA

__all__ = ["Synthetic", "run", "write_synthetic_run"]

_START = np.datetime64("2026-11-27T07:00:00", "us")
_CATEGORIES = ["Produce", "Dairy", "Bakery", "Pantry", "Snacks", "Frozen", "Drinks", "Household"]


@dataclass(frozen=True, slots=True)
class Synthetic:
    """Shape of a synthetic run; the defaults give a small one for tests."""

    transactions: int = 20_000
    stores: int = 6
    skus: int = 60
    duration_s: float = 4 * 3600.0
    speed: float = 60.0
    latency_median_s: float = 3.0
    outage: tuple[float, float] | None = (3600.0, 4500.0)
    missing_share: float = 0.0
    duplicate_share: float = 0.0
    sample_every_s: float = 300.0
    name: str = "synthetic"
    seed: int = 7
    verdict: bool = True
    extra_run: dict[str, Any] = field(default_factory=dict)


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    text = pc.utf8_lpad(pa.array(numbers).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), text, "")


def _write(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def _cast(columns: dict[str, Any], schema: pa.Schema) -> pa.Table:
    arrays = []
    for f in schema:
        value = columns[f.name]
        array = value if isinstance(value, pa.Array | pa.ChunkedArray) else pa.array(value)
        if pa.types.is_dictionary(f.type) and not pa.types.is_dictionary(array.type):
            array = pc.dictionary_encode(array.cast(pa.string()))
        arrays.append(array.cast(f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def write_synthetic_run(path: Path, spec: Synthetic = Synthetic()) -> Path:
    """Write a live-run-shaped directory at ``path`` and return it."""
    rng = np.random.default_rng(spec.seed)
    n, span = spec.transactions, spec.duration_s
    path.mkdir(parents=True, exist_ok=True)
    hourly = 1.0 + np.sin(np.linspace(0, np.pi, 48)) * 1.5
    bucket = rng.choice(48, size=n, p=hourly / hourly.sum())
    t = np.sort((bucket + rng.random(n)) * span / 48)
    kind = rng.choice(
        np.array(["sale", "return", "cancel", "post_void"]), size=n, p=[0.95, 0.04, 0.006, 0.004]
    )
    store_no = rng.integers(1, spec.stores + 1, n)
    sku_no = np.minimum(rng.zipf(1.6, n) - 1, spec.skus - 1)
    units = rng.integers(1, 6, n).astype(np.int32)
    net = rng.lognormal(np.log(2336), 0.8, n).astype(np.int64)
    tax = np.rint(net * 0.07).astype(np.int64)
    total = net + tax
    unit_price = -(-net // units)
    discount = units * unit_price - net
    txn_id = _ids("T", np.arange(n), 8)
    store_id = _ids("S", store_no, 4)
    wait = rng.exponential(30.0, n)
    service = 40 + 3.0 * units
    completed = _START + (t * 1e6).astype("timedelta64[us]")
    truth = path / "truth"
    _write(
        truth / "transactions.parquet",
        _cast(
            {
                "txn_id": txn_id,
                "kind": kind,
                "store_id": store_id,
                "register_id": pc.binary_join_element_wise(store_id, pa.scalar("-R01"), ""),
                "lane": np.where(rng.random(n) < 0.3, "self_checkout", "staffed"),
                "cashier_id": pc.binary_join_element_wise(store_id, pa.scalar("-C01"), ""),
                "customer_id": pa.nulls(n, pa.string()),
                "business_day": np.full(n, _START.astype("datetime64[D]")),
                "arrived_at": completed - ((wait + service) * 1e6).astype("timedelta64[us]"),
                "started_at": completed - (service * 1e6).astype("timedelta64[us]"),
                "completed_at": completed,
                "t": t,
                "currency": np.full(n, "USD"),
                "lines": np.ones(n, np.int32),
                "units": units,
                "subtotal_minor": total - tax,
                "discount_minor": discount,
                "tax_minor": tax,
                "total_minor": total,
                "receipted": pa.nulls(n, pa.bool_()),
                "original_txn_id": pa.nulls(n, pa.string()),
                "notes": np.full(n, ""),
            },
            TXN_SCHEMA.schema,
        ),
    )
    _write(
        truth / "queue.parquet",
        _cast(
            {
                "store_id": store_id,
                "lane": np.where(rng.random(n) < 0.3, "self_checkout", "staffed"),
                "register_id": pc.binary_join_element_wise(store_id, pa.scalar("-R01"), ""),
                "txn_id": txn_id,
                "arrival_t": t - wait - service,
                "start_t": t - service,
                "end_t": t,
                "wait_s": wait,
                "queue_length": rng.poisson(2.0, n).astype(np.int32),
            },
            QUEUE.schema,
        ),
    )
    _truth_tables(truth, spec, rng)
    skus = _ids("SKU-", sku_no, 5)
    _write(
        truth / "lines.parquet",
        _cast(
            {
                "txn_id": txn_id,
                "line_no": np.ones(n, np.int32),
                "store_id": store_id,
                "sku": skus,
                "gtin": pc.binary_join_element_wise(pa.scalar("0"), skus, ""),
                "quantity": units,
                "unit_price_minor": unit_price,
                "gross_minor": units * unit_price,
                "discount_minor": discount,
                "net_minor": net,
                "tax_class": np.full(n, "standard"),
                "voided": np.zeros(n, bool),
                "original_txn_id": pa.nulls(n, pa.string()),
                "original_line_no": pa.nulls(n, pa.int32()),
                "t": t,
            },
            LINES.schema,
        ),
    )

    posted = kind != "cancel"
    keep = posted & (rng.random(n) >= spec.missing_share)
    latency = rng.lognormal(np.log(spec.latency_median_s), 0.6, n)
    committed = t + latency
    if spec.outage is not None:
        a, b = spec.outage
        hit = (committed >= a) & (t < b)
        committed[hit] = b + (committed[hit] - np.maximum(t[hit], a)) * 0.3 + latency[hit]
    dup = keep & (rng.random(n) < spec.duplicate_share)
    doc_rows = np.concatenate([np.flatnonzero(keep), np.flatnonzero(dup)])
    m = doc_rows.size
    doc_kind = np.where(np.isin(kind[doc_rows], ["return", "post_void"]), "credit_memo", "invoice")
    wall_origin = 1_795_000_000.0
    _write(
        path / "erp/documents.parquet",
        pa.table(
            {
                "document_id": _ids("D", np.arange(m), 8),
                "kind": doc_kind,
                "external_document_number": txn_id.take(pa.array(doc_rows)),
                "store_id": store_id.take(pa.array(doc_rows)),
                "status": np.full(m, "posted"),
                "total_minor": total[doc_rows],
                "tax_minor": tax[doc_rows],
                "currency": np.full(m, "USD"),
                "created_wall": wall_origin + committed[doc_rows] / spec.speed,
                "committed_t": committed[doc_rows],
            }
        ),
    )
    _write(
        path / "erp/document_lines.parquet",
        pa.table(
            {
                "document_id": _ids("D", np.arange(m), 8),
                "line_no": np.ones(m, np.int32),
                "sku": skus.take(pa.array(doc_rows)),
                "quantity": units[doc_rows].astype(np.float64),
                "unit_price_minor": unit_price[doc_rows],
                "discount_minor": discount[doc_rows],
                "tax_minor": tax[doc_rows],
                "description": np.full(m, "synthetic line"),
            }
        ),
    )
    _journal(path, spec, rng, t=t, committed=committed[doc_rows], wall_origin=wall_origin)
    due_wall = wall_origin + t / spec.speed
    sent_wall = due_wall + rng.exponential(0.01, n)
    _write(
        path / "driver/sent.parquet",
        pa.table(
            {
                "txn_id": txn_id,
                "kind": kind,
                "store_id": store_id,
                "due_t": t,
                "due_wall": due_wall,
                "sent_wall": sent_wall,
                "acked_wall": sent_wall + rng.lognormal(np.log(0.02), 0.5, n),
                "lag_s": sent_wall - due_wall,
                "status": np.full(n, 200, np.int32),
                "offline": np.zeros(n, bool),
                "attempts": np.ones(n, np.int32),
            }
        ),
    )
    _samples(
        path,
        spec,
        t=t[posted],
        committed=committed[posted],
        keep=keep[posted],
        store_no=store_no[posted],
        sku_no=sku_no[posted],
        wall_origin=wall_origin,
    )
    faults = [] if spec.outage is None else [spec.outage]
    _write(
        path / "faults.parquet",
        pa.table(
            {
                "id": [f"f{i + 1}" for i in range(len(faults))],
                "target": ["erp"] * len(faults),
                "kind": ["outage"] * len(faults),
                "start_t": [a for a, _ in faults],
                "end_t": [b for _, b in faults],
                "start_wall": [wall_origin + a / spec.speed for a, _ in faults],
                "end_wall": [wall_origin + b / spec.speed for _, b in faults],
                "params": ["{}"] * len(faults),
            },
            schema=pa.schema(
                [
                    ("id", pa.string()),
                    ("target", pa.string()),
                    ("kind", pa.string()),
                    ("start_t", pa.float64()),
                    ("end_t", pa.float64()),
                    ("start_wall", pa.float64()),
                    ("end_wall", pa.float64()),
                    ("params", pa.string()),
                ]
            ),
        ),
    )
    scenario = {
        "name": spec.name,
        "seed": spec.seed,
        "start": str(_START.astype("datetime64[s]")),
        "duration": f"{int(span)}s",
        "speed": spec.speed,
        "chain": {"stores": spec.stores},
        "integration": {"mode": "realtime"},
        "slo": {"sync_latency_p95": "1m", "missing": 0, "duplicates": 0},
    }
    (path / "scenario.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False))
    run_meta = {
        "run_id": path.name,
        "kind": "live",
        "connector": {"name": "synthetic"},
        "speed": spec.speed,
        "wall_origin": wall_origin,
        "sim_start": str(_START.astype("datetime64[s]")),
        "traffic_end_t": span,
        "quiesce_end_t": span + 900.0,
        "versions": {"tillbench": "synthetic"},
        **spec.extra_run,
    }
    (path / "run.json").write_text(json.dumps(run_meta, indent=2))
    if spec.verdict:
        _summary(
            path, spec, t=t, committed=committed, keep=keep, posted=posted, dup=dup, txn_id=txn_id
        )
    return path


def _truth_tables(truth: Path, spec: Synthetic, rng: np.random.Generator) -> None:
    skus = [f"SKU-{i:05d}" for i in range(spec.skus)]
    stores = [f"S{i:04d}" for i in range(1, spec.stores + 1)]
    k = spec.skus
    _write(
        truth / "catalog.parquet",
        _cast(
            {
                "sku": skus,
                "gtin": [f"{i:013d}" for i in range(k)],
                "name": skus,
                "brand": ["Acme"] * k,
                "category": [_CATEGORIES[i % len(_CATEGORIES)] for i in range(k)],
                "tax_class": ["standard"] * k,
                "tax_rate": ["0.07"] * k,
                "price_minor": rng.integers(99, 999, k),
                "cost_minor": rng.integers(50, 98, k),
                "currency": ["USD"] * k,
                "popularity": np.full(k, 1.0 / k),
            },
            CATALOG.schema,
        ),
    )
    _write(
        truth / "stores.parquet",
        _cast(
            {
                "store_id": stores,
                "name": stores,
                "address": ["1 Main St"] * len(stores),
                "timezone": ["America/New_York"] * len(stores),
                "size_class": ["medium"] * len(stores),
                "size_factor": np.ones(len(stores)),
                "registers": np.full(len(stores), 8),
                "self_checkouts": np.full(len(stores), 4),
            },
            STORES.schema,
        ),
    )
    pairs = len(stores) * k
    initial = rng.integers(50, 500, pairs)
    sold = rng.integers(0, 50, pairs)
    shrink = rng.binomial(3, 0.2, pairs)
    physical = initial - sold - shrink
    _write(
        truth / "stock_final.parquet",
        _cast(
            {
                "store_id": np.repeat(stores, k),
                "sku": np.tile(skus, len(stores)),
                "initial": initial,
                "receipts": np.zeros(pairs, np.int64),
                "sold": sold,
                "returned": np.zeros(pairs, np.int64),
                "shrink": shrink,
                "physical": physical,
                "pos_book": physical + shrink,
            },
            STOCK_FINAL.schema,
        ),
    )
    hit = np.flatnonzero(shrink > 0)
    at = rng.random(hit.size) * spec.duration_s
    _write(
        truth / "stock_movements.parquet",
        _cast(
            {
                "store_id": np.repeat(stores, k)[hit],
                "sku": np.tile(skus, len(stores))[hit],
                "kind": np.full(hit.size, "shrink"),
                "quantity": -shrink[hit],
                "occurred_at": _START + (at * 1e6).astype("timedelta64[us]"),
                "t": at,
                "ref": np.full(hit.size, "loss"),
            },
            STOCK_MOVEMENTS.schema,
        ),
    )
    outs = max(1, spec.transactions // 500)
    at = np.sort(rng.random(outs) * spec.duration_s)
    req = rng.integers(2, 6, outs)
    _write(
        truth / "stock_outs.parquet",
        _cast(
            {
                "store_id": rng.choice(stores, outs),
                "sku": rng.choice(skus, outs),
                "occurred_at": _START + (at * 1e6).astype("timedelta64[us]"),
                "t": at,
                "txn_id": pa.nulls(outs, pa.string()),
                "requested": req,
                "sold": req - 1,
                "lost": np.ones(outs, np.int32),
            },
            STOCK_OUTS.schema,
        ),
    )


def _journal(
    path: Path,
    spec: Synthetic,
    rng: np.random.Generator,
    *,
    t: np.ndarray,
    committed: np.ndarray,
    wall_origin: float,
) -> None:
    m = committed.size
    ok_latency = rng.lognormal(np.log(120), 0.5, m)
    rows_t = [committed - ok_latency / 1000 * spec.speed]
    status = [np.full(m, 201)]
    latency = [ok_latency]
    if spec.outage is not None:
        a, b = spec.outage
        failed = np.linspace(a, b, max(2, int((b - a) / 2)))
        rows_t.append(failed)
        status.append(np.full(failed.size, 503))
        latency.append(np.full(failed.size, 5.0))
    throttled = rng.choice(t, size=max(1, m // 200))
    rows_t.append(throttled)
    status.append(np.full(throttled.size, 429))
    latency.append(np.full(throttled.size, 3.0))
    all_t = np.concatenate(rows_t)
    order = np.argsort(all_t, kind="stable")
    all_t = all_t[order]
    wall = wall_origin + all_t / spec.speed
    k = all_t.size
    _write(
        path / "erp/journal.parquet",
        pa.table(
            {
                "id": np.arange(k, dtype=np.int64),
                "ts": pa.array((wall * 1e6).astype("int64")).cast(pa.timestamp("us", tz="UTC")),
                "worker": np.zeros(k, np.int32),
                "credential": np.full(k, "connector"),
                "method": np.full(k, "POST"),
                "path": np.full(k, "/api/v2.0/companies(1)/salesInvoices"),
                "status": np.concatenate(status)[order].astype(np.int16),
                "latency_ms": np.concatenate(latency)[order],
            }
        ),
    )


def _samples(
    path: Path,
    spec: Synthetic,
    *,
    t: np.ndarray,
    committed: np.ndarray,
    keep: np.ndarray,
    store_no: np.ndarray,
    sku_no: np.ndarray,
    wall_origin: float,
) -> None:
    grid = np.arange(0.0, spec.duration_s + 1800.0, spec.sample_every_s)
    pairs = spec.stores * spec.skus
    pair = (store_no - 1) * spec.skus + sku_no
    done = np.where(keep, committed, np.inf)
    span = grid[-1] + 1e7
    sold_key = np.sort(pair * span + t)
    done_key = np.sort(pair * span + np.minimum(done, span - 1))
    q_pair = np.repeat(np.arange(pairs), grid.size)
    q_t = np.tile(grid, pairs)
    base = q_pair * span
    sold = np.searchsorted(sold_key, base + q_t, "right") - np.searchsorted(sold_key, base)
    posted = np.searchsorted(done_key, base + q_t, "right") - np.searchsorted(done_key, base)
    initial = 1000.0
    _write(
        path / "samples/stock.parquet",
        pa.table(
            {
                "sample_id": np.tile(np.arange(grid.size), pairs).astype(np.int64),
                "t": q_t,
                "wall": wall_origin + q_t / spec.speed,
                "store_id": _ids("S", q_pair // spec.skus + 1, 4),
                "sku": _ids("SKU-", q_pair % spec.skus, 5),
                "pos_qty": initial - sold.astype(np.float64),
                "erp_qty": initial - posted.astype(np.float64),
            }
        ),
    )
    backlog = np.searchsorted(np.sort(t), grid, "right") - np.searchsorted(
        np.sort(done), grid, "right"
    )
    cum = np.searchsorted(np.sort(done), grid, "right")
    _write(
        path / "samples/connector.parquet",
        pa.table(
            {
                "t": grid,
                "wall": wall_origin + grid / spec.speed,
                "backlog": backlog.astype(np.int64),
                "posted": cum.astype(np.int64),
                "retries": (cum // 50).astype(np.int64),
                "dead_letters": np.zeros(grid.size, np.int64),
            }
        ),
    )


def _summary(
    path: Path,
    spec: Synthetic,
    *,
    t: np.ndarray,
    committed: np.ndarray,
    keep: np.ndarray,
    posted: np.ndarray,
    dup: np.ndarray,
    txn_id: pa.Array,
) -> None:
    lat = (committed - t)[keep]
    p95 = float(np.percentile(lat, 95)) if lat.size else 0.0
    missing = np.flatnonzero(posted & ~keep)
    dups = np.flatnonzero(dup)
    slos = [
        {
            "name": "sync_latency_p95",
            "target": 60.0,
            "actual": p95,
            "passed": p95 <= 60.0,
            "detail": f"p95 {p95:.1f} s against 60 s",
        },
        {
            "name": "missing",
            "target": 0,
            "actual": int(missing.size),
            "passed": missing.size == 0,
            "detail": f"{missing.size} missing",
        },
        {
            "name": "duplicates",
            "target": 0,
            "actual": int(dups.size),
            "passed": dups.size == 0,
            "detail": f"{dups.size} duplicated",
        },
    ]
    ids = txn_id.to_numpy(zero_copy_only=False)
    summary = {
        "passed": all(s["passed"] for s in slos),
        "exit_code": 0 if all(s["passed"] for s in slos) else 1,
        "slos": slos,
        "exactly_once": {
            "expected": int(posted.sum()),
            "missing": {"count": int(missing.size), "examples": ids[missing[:5]].tolist()},
            "duplicated": {"count": int(dups.size), "examples": ids[dups[:5]].tolist()},
            "mismatched": {"count": 0, "examples": []},
            "late": {"count": 0, "examples": []},
        },
        "sync_latency": {
            "p50_s": float(np.percentile(lat, 50)) if lat.size else None,
            "p95_s": p95,
            "p99_s": float(np.percentile(lat, 99)) if lat.size else None,
            "max_s": float(lat.max()) if lat.size else None,
        },
        "diagnosis": []
        if not (missing.size or dups.size)
        else [
            f"{missing.size} sales never reached the ERP",
        ],
    }
    (path / "summary.json").write_text(json.dumps(summary, indent=2))


def run(quick: bool = False) -> dict[str, Any]:
    """Time `build_report` on a synthetic run with 1M transactions (50k with ``quick``).

    ``report_s`` is wall time; ``report_cpu_s`` the process's CPU time, which other load on
    the machine does not inflate."""
    from reports.html import build_report

    n = 50_000 if quick else 1_000_000
    spec = Synthetic(
        transactions=n,
        stores=50,
        skus=200,
        duration_s=15 * 3600.0,
        sample_every_s=300.0,
        name="bench",
    )
    with tempfile.TemporaryDirectory(prefix="tillbench-report-bench-") as tmp:
        started = time.perf_counter()
        run_dir = write_synthetic_run(Path(tmp) / "run", spec)
        generated = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        report = build_report(run_dir)
        built, built_cpu = time.perf_counter() - started, time.process_time() - cpu
        charts = sorted(p.name for p in (run_dir / "charts").glob("*.png"))
        size = report.stat().st_size
    return {
        "transactions": n,
        "stock_sample_rows": spec.stores * spec.skus * int((spec.duration_s + 1800) // 300 + 1),
        "generate_s": round(generated, 2),
        "report_s": round(built, 2),
        "report_cpu_s": round(built_cpu, 2),
        "target_report_s": 30.0,
        "charts": len(charts),
        "report_bytes": size,
    }
