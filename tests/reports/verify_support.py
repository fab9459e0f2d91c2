"""Run directories for the verification tests: a small simulated truth and a correct ERP.

`build_truth_run` simulates a tiny `demo` chain and writes, next to its truth, what a
correct integration would leave behind: one posted invoice per sale, one credit memo per
return and post-void (built with ``domain``'s mapping), stock samples with ERP == POS, the
fault timeline, journals, customers, items and a clean connector log. Tests copy it and
plant one failure at a time with the editing helpers below.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import scenarios
import simulator
from domain import (
    CreditMemo,
    PostVoid,
    Return,
    Sale,
    SalesInvoice,
    credit_memo_from_return,
    invoice_from_sale,
)

SPEED = 60.0
LATENCY_S = 3.0
"""Simulated seconds from POS completion to ERP commit in the correct integration."""
SAMPLE_EVERY_S = 120.0
CONNECTOR = "connector"
VISA_TEST_PAN = "4111 1111 1111 1111"


@dataclass(frozen=True)
class Truth:
    """A built correct run and what the tests need to know about it."""

    path: Path
    scenario: Any
    traffic_end_t: float
    kinds: dict[str, str]
    """txn_id → POS kind for every document the ERP must hold."""


def small_scenario() -> Any:
    base = scenarios.load("demo")
    return scenarios.override(
        base,
        {
            "chain.stores": 2,
            "voids.post_void": 0.04,
            "returns.rate": 0.08,
            # the objectives these tests reason about, whatever the bundled demo says
            "slo.sync_latency_p95": "1m",
            "slo.converge_within": "5m",
        },
    )


def build_truth_run(path: Path) -> Truth:
    scenario = small_scenario()
    simulator.simulate_traffic(scenario, path)
    end_t = float(scenario.duration.total_seconds())
    docs: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    invoices: dict[str, SalesInvoice] = {}
    kinds: dict[str, str] = {}
    for event in simulator.iter_events(scenario):
        doc: SalesInvoice | CreditMemo
        source = event.document
        if isinstance(source, Sale):
            doc = invoice_from_sale(source)
            invoices[event.txn_id] = doc
        elif isinstance(source, Return):
            doc = credit_memo_from_return(source)
        elif isinstance(source, PostVoid):
            doc = invoices[source.voided_txn_id]
        else:
            continue
        kinds[event.txn_id] = event.kind
        document_id = f"D{len(docs) + 1:06d}"
        committed_t = event.t + LATENCY_S
        docs.append(
            {
                "document_id": document_id,
                "kind": "invoice" if event.kind == "sale" else "credit_memo",
                "external_document_number": event.txn_id,
                "store_id": event.store_id,
                "status": "Open",
                "total_minor": doc.total.minor_units(),
                "tax_minor": doc.tax_total.minor_units(),
                "currency": doc.currency,
                "created_wall": 1_700_000_000.0 + committed_t / SPEED,
                "committed_t": committed_t,
            }
        )
        for number, line in enumerate(doc.lines, start=1):
            lines.append(
                {
                    "document_id": document_id,
                    "line_no": number,
                    "sku": str(line.item_sku),
                    "quantity": float(line.quantity),
                    "unit_price_minor": line.unit_price.minor_units(),
                    "discount_minor": line.discount.minor_units(),
                    "tax_minor": line.tax.minor_units(),
                    "description": f"item {line.item_sku}",
                }
            )
    (path / "erp").mkdir()
    (path / "pos").mkdir()
    write(path, "erp/documents", pd.DataFrame(docs))
    txns = read(path, "truth/transactions")
    write(
        path,
        "pos/orders",
        pd.DataFrame({"reference_id": txns["txn_id"], "state": "COMPLETED", "note": txns["notes"]}),
    )
    write(path, "erp/document_lines", pd.DataFrame(lines))
    _write_rest(path, scenario, end_t)
    return Truth(path, scenario, end_t, kinds)


def _write_rest(path: Path, scenario: Any, end_t: float) -> None:
    final = read(path, "truth/stock_final")
    times = np.arange(0.0, end_t + 4 * SAMPLE_EVERY_S, SAMPLE_EVERY_S)
    samples = pd.concat(
        [
            pd.DataFrame(
                {
                    "sample_id": i,
                    "t": t,
                    "wall": 1_700_000_000.0 + t / SPEED,
                    "store_id": final["store_id"].astype(str),
                    "sku": final["sku"].astype(str),
                    "pos_qty": final["pos_book"].astype(float),
                    "erp_qty": final["pos_book"].astype(float),
                }
            )
            for i, t in enumerate(times)
        ],
        ignore_index=True,
    )
    (path / "samples").mkdir()
    write(path, "samples/stock", samples)
    faults = []
    for number, fault in enumerate(scenario.faults, start=1):
        begin, end = fault.start.total_seconds(), fault.end.total_seconds()
        faults.append(
            {
                "id": f"f{number}",
                "target": fault.target,
                "kind": str(fault.kind),
                "start_t": begin,
                "end_t": end,
                "start_wall": 1_700_000_000.0 + begin / SPEED,
                "end_wall": 1_700_000_000.0 + end / SPEED,
                "params": "{}",
            }
        )
    write(path, "faults", pd.DataFrame(faults))
    catalog = read(path, "truth/catalog")
    write(
        path,
        "erp/items",
        pd.DataFrame({"sku": catalog["sku"], "unit_price_minor": catalog["price_minor"]}),
    )
    customers = read(path, "truth/customers")
    write(
        path,
        "erp/customers",
        pd.DataFrame(
            {"id": customers["customer_id"], "name": customers["name"], "email": customers["email"]}
        ),
    )
    sales = int((read(path, "truth/transactions")["kind"] == "sale").sum())
    journal = pd.DataFrame(
        {
            "credential": [CONNECTOR] * (2 * sales) + ["sampler"] * 7,
            "method": "POST",
            "path": "/api/v2.0/companies(c1)/salesInvoices",
            "status": 201,
            "body_sha256": "1234567890123456789012345678901234567890123456789012345678901234",
        }
    )
    write(path, "erp/journal", journal)
    (path / "connector").mkdir()
    (path / "connector" / "connector.log").write_text(
        "started\nposted S0001-R01-000001 as invoice D000001\nnote: [card removed]\n",
        encoding="utf-8",
    )
    run = {
        "run_id": path.name,
        "connector": {"name": "realtime", "erp_credential": CONNECTOR},
        "speed": SPEED,
        "wall_origin": 1_700_000_000.0,
        "traffic_end_t": end_t,
        "quiesce_end_t": end_t + 3 * SAMPLE_EVERY_S,
    }
    (path / "run.json").write_text(json.dumps(run), encoding="utf-8")


def read(path: Path, name: str) -> pd.DataFrame:
    frame: pd.DataFrame = pq.read_table(path / f"{name}.parquet").to_pandas()
    return frame


def write(path: Path, name: str, frame: pd.DataFrame) -> None:
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path / f"{name}.parquet")


def edit(path: Path, name: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    """Rewrite table ``name`` of the run with ``change`` applied."""
    write(path, name, change(read(path, name)))


def copy_run(truth: Truth, to: Path) -> Path:
    shutil.copytree(truth.path, to)
    for name in ("summary.json", "junit.xml"):
        (to / name).unlink(missing_ok=True)
    return to


def shift_erp_stock(path: Path, changes: dict[tuple[str, str], float]) -> None:
    """Move the ERP book of each (store, SKU) pair by its delta in every stock sample, as a
    document posted at the start of the run would have."""

    def shifted(samples: pd.DataFrame) -> pd.DataFrame:
        pairs = list(zip(samples["store_id"].astype(str), samples["sku"].astype(str), strict=True))
        samples["erp_qty"] = samples["erp_qty"] + [changes.get(pair, 0.0) for pair in pairs]
        return samples

    edit(path, "samples/stock", shifted)


def stock_effect(path: Path, txn_id: str) -> dict[tuple[str, str], float]:
    """What the ERP document of ``txn_id`` moves, per (store, SKU): an invoice takes out, a
    credit memo puts back."""
    docs = read(path, "erp/documents")
    doc = docs[docs["external_document_number"] == txn_id].iloc[0]
    lines = read(path, "erp/document_lines")
    lines = lines[lines["document_id"] == doc["document_id"]]
    sign = -1.0 if doc["kind"] == "invoice" else 1.0
    moved: dict[tuple[str, str], float] = {}
    for sku, quantity in zip(lines["sku"].astype(str), lines["quantity"], strict=True):
        key = (str(doc["store_id"]), sku)
        moved[key] = moved.get(key, 0.0) + sign * float(quantity)
    return moved


def copy_document(
    path: Path, txn_id: str, *, reference: str, document_id: str, later_s: float = 30.0
) -> None:
    """Post ``txn_id``'s document again (lines too) under ``reference``, ``later_s`` later."""
    docs = read(path, "erp/documents")
    lines = read(path, "erp/document_lines")
    doc = docs[docs["external_document_number"] == txn_id].copy()
    old = doc["document_id"].iat[0]
    doc["document_id"] = document_id
    doc["external_document_number"] = reference
    doc["committed_t"] += later_s
    copies = lines[lines["document_id"] == old].copy()
    copies["document_id"] = document_id
    write(path, "erp/documents", pd.concat([docs, doc], ignore_index=True))
    write(path, "erp/document_lines", pd.concat([lines, copies], ignore_index=True))
