"""Helpers for the live runs against a real Tryton: a small scenario and direct reads."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

import scenarios

SMALL_YAML = """\
name: tryton-small
extends: demo
description: one store, fifteen minutes of lunch trade against a real Tryton
start: 2026-11-23T11:00:00
seed: 2
duration: 15m
speed: 60
chain: {stores: 1, registers: 2, self_checkouts: 0, loyalty_customers: 50}
catalog: {skus: 40, categories: 4}
traffic: {customers_per_store_day: 1500}
returns: {rate: 0.08}
faults: []
data_quality: {card_in_notes: 0}
slo: {sync_latency_p95: 30m, converge_within: 30m}
"""
"""32 sales and 5 returns (seed 2). Tryton posts one to two sales per wall second with one
writer (fewer on a busy machine), so at speed 60 a sale may wait simulated minutes for the
ones before it: the objectives are loose, this scenario is about correctness."""


def small_scenario(tmp: Path, **overrides: Any) -> Any:
    path = tmp / "tryton-small.yaml"
    path.write_text(SMALL_YAML)
    scenario = scenarios.load(str(path))
    return scenarios.override(scenario, overrides) if overrides else scenario


@contextlib.contextmanager
def tryton_of(run_dir: Path) -> Iterator[Any]:
    """The run's own Tryton database served again; yields a `TrytonPos` over it."""
    from connectors.erp.tryton import TrytonRpc
    from connectors.erp.tryton.harness_reads import HarnessReads as TrytonPos
    from erps.tryton import load_database, start_server

    workdir = run_dir / "erp"
    with start_server(load_database(workdir), workdir=workdir) as server:
        rpc = TrytonRpc(server.url, user=server.user, password=server.password)
        try:
            yield TrytonPos(rpc)
        finally:
            rpc.close()


def expected_references(run_dir: Path) -> set[str]:
    """Truth transactions that must be in the ERP (cancels produce no document)."""
    table = pq.read_table(run_dir / "truth/transactions.parquet", columns=["txn_id", "kind"])
    return {
        txn
        for txn, kind in zip(
            table.column("txn_id").to_pylist(), table.column("kind").to_pylist(), strict=True
        )
        if kind in ("sale", "return", "post_void")
    }


def posted_counts(pos: Any) -> Counter[str]:
    """How many posted Tryton POS sales carry each pos_reference."""
    return Counter(
        str(sale["pos_reference"]) for sale in pos.posted_sales() if sale["state"] == "posted"
    )


def end_stock(run_dir: Path) -> dict[tuple[str, str], Decimal]:
    """The POS book at the end per (store, SKU): what the ERP must hold."""
    table = pq.read_table(
        run_dir / "truth/stock_final.parquet", columns=["store_id", "sku", "pos_book"]
    )
    return {
        (str(store), str(sku)): Decimal(int(units))
        for store, sku, units in zip(
            table.column("store_id").to_pylist(),
            table.column("sku").to_pylist(),
            table.column("pos_book").to_pylist(),
            strict=True,
        )
    }


def processes_in(directory: Path) -> list[int]:
    """Pids (other than ours) whose command line names ``directory`` (e.g. a trytond)."""
    needle = str(directory).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if needle in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return found


def drop_database(server_url: str, name: str) -> None:
    """Drop a run's own PostgreSQL database (the cached template stays)."""
    import psycopg

    with psycopg.connect(server_url + "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
