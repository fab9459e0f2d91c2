"""Make a load run verifiable: truth from the POS's acceptances, the end state collected.

After the load has settled, `collect_state` writes what `reports.verify` reads, as for a
live run: ``truth/`` (`truth.write_truth`), the POS and ERP end state and journals (each
target's ``collect``), and final stock samples of both books (``samples/stock``, the
targets' stock reads). The run's clock runs at speed 1 from ``wall_origin`` (a load test
is real time), so sync latency and convergence are in wall seconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from domain.clock import RunClock
from domain.rundir import write_table
from tillbench.live.mocks import MockServers
from tillbench.live.sampler import Sampler
from tillbench.load.e2e import Accept
from tillbench.load.truth import write_truth

__all__ = ["STOCK_ROUNDS", "collect_state"]

STOCK_ROUNDS = 2
"""Stock sampling rounds after the load (the last is the end state)."""


async def _sample_stock(sampler: Sampler, rounds: int) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        for n in range(rounds):
            if n:
                await asyncio.sleep(sampler.interval)
            await sampler.sample_once(client)


def collect_state(
    run_dir: Path,
    *,
    servers: MockServers,
    scenario: Any,
    seed: int | None,
    accepts: Sequence[Accept],
    wall_origin: float,
) -> dict[str, int]:
    """Write the tables of the module docstring; returns row counts by table."""
    from simulator import build_world

    pos, erp = servers.pos, servers.erp
    assert pos is not None, "a load run starts both mocks"
    assert erp is not None, "a load run starts both mocks"
    stores = list(build_world(scenario, seed=seed).store_ids)
    clock = RunClock(wall_origin=wall_origin, speed=1.0)
    counts = write_truth(
        run_dir, scenario=scenario, seed=seed, accepts=accepts, wall_origin=wall_origin
    )
    sampler = Sampler(
        clock=clock,
        every_t=1.0,
        stores=stores,
        pos_stock=pos.stock_read(stores),
        erp_stock=erp.stock_read(stores),
        connector_url=None,
    )
    asyncio.run(_sample_stock(sampler, STOCK_ROUNDS))
    write_table(run_dir, "samples/stock", sampler.stock_rows)
    counts["samples/stock"] = len(sampler.stock_rows)
    counts.update(pos.collect(run_dir, clock=clock, stores=stores))
    counts.update(erp.collect(run_dir, clock=clock, stores=stores))
    return counts
