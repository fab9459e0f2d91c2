"""A synthetic run directory at scale (numpy only) to time `reports.verify`.

One million POS transactions (sales, returns, post-voids), their lines, a correct ERP
(one posted document per transaction, same lines), a stock sampler over 20 stores × up to
5000 SKUs, an ERP journal and customers. Built in a few seconds; nothing here is realistic
beyond the shapes and sizes verification has to join.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    digits = pc.utf8_lpad(pa.array(numbers.astype(str)), 8, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, "")


def write_large_run(path: Path, *, transactions: int = 1_000_000, seed: int = 5) -> None:
    rng = np.random.default_rng(seed)
    (path / "truth").mkdir(parents=True)
    (path / "erp").mkdir()
    (path / "samples").mkdir()
    n = transactions
    kind = rng.choice(np.array(["sale", "return", "post_void"]), size=n, p=[0.95, 0.04, 0.01])
    txn = _ids("T", np.arange(n))
    t = np.sort(rng.uniform(0, 15 * 3600, n))
    stores = np.array([f"S{i:04d}" for i in range(1, 21)])
    k = min(5000, max(50, n // 200))
    skus = np.array([f"SKU-{i:05d}" for i in range(k)])
    per = rng.integers(1, 10, n)
    owner = np.repeat(np.arange(n), per)
    m = len(owner)
    sku = rng.integers(0, k, m)
    qty = rng.integers(1, 4, m)
    price = rng.integers(99, 999, m)
    net = qty * price
    rates = rng.choice([0.0, 0.02, 0.0825], size=k)
    line_tax = np.floor(rates[sku] * net + 0.5).astype(np.int64)
    sub = np.bincount(owner, weights=net, minlength=n).astype(np.int64)
    tax = np.bincount(owner, weights=line_tax, minlength=n).astype(np.int64)
    store = rng.integers(0, 20, n)
    original = pa.array(np.where(kind == "post_void", None, None), pa.string())
    pq.write_table(
        pa.table(
            {
                "txn_id": txn,
                "kind": kind,
                "store_id": stores[store],
                "t": t,
                "total_minor": sub + tax,
                "tax_minor": tax,
                "original_txn_id": original,
            }
        ),
        path / "truth/transactions.parquet",
    )
    line_txn = txn.take(pa.array(owner))
    pq.write_table(
        pa.table(
            {
                "txn_id": line_txn,
                "line_no": np.arange(m) - np.repeat(np.cumsum(per) - per, per) + 1,
                "store_id": stores[store[owner]],
                "sku": skus[sku],
                "quantity": qty.astype(np.int32),
                "unit_price_minor": price,
                "net_minor": net,
                "voided": np.zeros(m, bool),
                "t": t[owner],
            }
        ),
        path / "truth/lines.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "sku": skus,
                "tax_rate": rates.astype(str),
                "price_minor": rng.integers(99, 999, k),
            }
        ),
        path / "truth/catalog.parquet",
    )
    doc_id = _ids("D", np.arange(n))
    pq.write_table(
        pa.table(
            {
                "document_id": doc_id,
                "kind": np.where(kind == "sale", "invoice", "credit_memo"),
                "external_document_number": txn,
                "store_id": stores[store],
                "status": np.full(n, "Open"),
                "total_minor": sub + tax,
                "tax_minor": tax,
                "currency": np.full(n, "USD"),
                "created_wall": t / 60.0,
                "committed_t": t + rng.exponential(5.0, n),
            }
        ),
        path / "erp/documents.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "document_id": doc_id.take(pa.array(owner)),
                "line_no": np.ones(m, np.int32),
                "sku": skus[sku],
                "quantity": qty.astype(np.float64),
                "unit_price_minor": price,
                "discount_minor": np.zeros(m, np.int64),
                "tax_minor": line_tax,
                "description": skus[sku],
            }
        ),
        path / "erp/document_lines.parquet",
    )
    pairs = 20 * k
    samples = 31
    book = rng.integers(0, 500, pairs).astype(np.float64)
    pq.write_table(
        pa.table(
            {
                "sample_id": np.repeat(np.arange(samples), pairs),
                "t": np.repeat(np.arange(samples) * 1800.0, pairs),
                "wall": np.zeros(samples * pairs),
                "store_id": np.tile(np.repeat(stores, k), samples),
                "sku": np.tile(np.tile(skus, 20), samples),
                "pos_qty": np.tile(book, samples),
                "erp_qty": np.tile(book, samples),
            }
        ),
        path / "samples/stock.parquet",
    )
    pq.write_table(
        pa.table({"credential": np.full(2 * n, "connector")}), path / "erp/journal.parquet"
    )
    customers = min(100_000, n // 10)
    pq.write_table(
        pa.table(
            {
                "id": np.arange(customers).astype(str),
                "name": np.full(customers, "x"),
                "email": pc.binary_join_element_wise(
                    pa.array(np.arange(customers).astype(str)), pa.scalar("@example.com"), ""
                ),
            }
        ),
        path / "erp/customers.parquet",
    )
    (path / "run.json").write_text(
        json.dumps({"speed": 60, "traffic_end_t": 15 * 3600.0}), encoding="utf-8"
    )
