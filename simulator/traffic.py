"""`simulate_traffic`: a whole scenario through the fast path, to the run directory.

Writes ``OUT/scenario.yaml`` (the resolved scenario with the seed used) and the truth
tables ``OUT/truth/<table>.parquet`` (schemas in `domain.rundir.truth`), day by day and batch
by batch of stores, and returns a `TrafficSummary`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

import scenarios
from domain.rundir.truth import STOCK_FINAL
from simulator.engine import Chunk, RunState, run_chunk
from simulator.output import TruthWriter
from simulator.params import Params
from simulator.summary import SummaryBuilder, TrafficSummary
from simulator.world import World, build_world_from_params

__all__ = ["BATCH_STORES", "iter_chunks", "simulate_params", "simulate_traffic", "stock_final"]

BATCH_STORES = 100
"""Stores simulated together in one chunk (a day of a batch is one row group per table)."""

Progress = Callable[[int, int], None]


def iter_chunks(
    world: World, state: RunState, *, progress: Progress | None = None
) -> Iterator[tuple[int, Chunk]]:
    """Chunks in order: day by day, batch of stores by batch; yields (day, chunk)."""
    p = world.params
    batches = [
        slice(lo, min(lo + BATCH_STORES, world.stores))
        for lo in range(0, world.stores, BATCH_STORES)
    ]
    total = p.days * len(batches)
    done = 0
    for day in range(p.days):
        for b, stores in enumerate(batches):
            yield day, run_chunk(world, state, day, b, stores)
            done += 1
            if progress is not None:
                progress(done, total)


def stock_final(world: World, state: RunState) -> pa.Table:
    s = state.stock
    n_sku = s.skus
    key = np.arange(len(s.shelf))
    return pa.table(
        {
            "store_id": pa.DictionaryArray.from_arrays(
                pa.array((key // n_sku).astype(np.int32)), world.store_ids
            ),
            "sku": pa.DictionaryArray.from_arrays(
                pa.array((key % n_sku).astype(np.int32)), world.catalog.sku_ids
            ),
            "initial": s.initial,
            "receipts": s.receipts,
            "sold": s.sold,
            "returned": s.returned,
            "shrink": s.shrink,
            "physical": s.physical,
            "pos_book": s.pos_book,
        },
        schema=STOCK_FINAL.schema,
    )


def simulate_params(
    params: Params,
    out_dir: Path | None,
    *,
    progress: Progress | None = None,
    world: World | None = None,
) -> TrafficSummary:
    """Run the fast path on resolved parameters; write truth tables when ``out_dir`` is set.

    ``world`` reuses an already built world of the same parameters (benchmarks).
    """
    started = time.perf_counter()
    if world is None:
        world = build_world_from_params(params)
    state = RunState.create(world)
    summary = SummaryBuilder(
        scenario=params.name,
        seed=params.seed,
        days=params.days,
        store_ids=world.store_ids,
        currency=params.currency,
    )
    if out_dir is None:
        for _, chunk in iter_chunks(world, state, progress=progress):
            summary.add(chunk.tables)
        return summary.build(time.perf_counter() - started)
    with TruthWriter(out_dir) as writer:
        for name, table in world.tables().items():
            writer.write(name, table)
        for _, chunk in iter_chunks(world, state, progress=progress):
            for name, table in chunk.tables.items():
                writer.write(name, table)
            summary.add(chunk.tables)
        writer.write("stock_final", stock_final(world, state))
    return summary.build(time.perf_counter() - started)


def simulate_traffic(
    scenario: Any,
    out_dir: Path,
    *,
    seed: int | None = None,
    progress: Progress | None = None,
) -> TrafficSummary:
    """Simulate a scenario's traffic into ``out_dir`` (the run directory).

    ``seed`` overrides the scenario's seed; ``progress(done, total)`` is called after each
    chunk (a day of a batch of stores). Example::

        summary = simulate_traffic(scenarios.load("grocery-chain"), Path("runs/x"), seed=7)
        summary.transactions, summary.queues["staffed"].p95_wait_s
    """
    if seed is not None and seed != scenario.seed:
        scenario = scenario.with_overrides(seed=seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "scenario.yaml").write_text(scenarios.dump(scenario), encoding="utf-8")
    return simulate_params(Params.from_scenario(scenario), out_dir, progress=progress)
