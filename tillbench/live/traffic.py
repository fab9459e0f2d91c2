"""The traffic phase of a live run: driver, timed actions, sampler, progress and quiesce.

Runs on one asyncio loop: the driver replays the transactions and runs the timed actions
(ERP-side events, mock faults through ``POST /admin/faults``, connector outages), the
sampler polls stock, a ticker reports progress every half second; after the last
transaction (and at least the scenario's duration) the quiesce phase waits for
convergence.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import time
from typing import Any

import httpx

from tillbench.live.clock import RunClock
from tillbench.live.connector import RunningConnector
from tillbench.live.driver import Driver, TimedAction, Txn
from tillbench.live.erp_events import ErpEvent, ErpEventApplier
from tillbench.live.faults import FaultPlan
from tillbench.live.mocks import ADMIN_TOKEN, MockServers
from tillbench.live.quiesce import quiesce
from tillbench.live.sampler import ErpStockReader, Sampler
from tillbench.live.status import LiveStatus, ProgressFn

__all__ = ["SAMPLE_EVERY_T", "TrafficOutcome", "traffic_phase"]

SAMPLE_EVERY_T = 60.0
"""Stock sampling interval in simulated seconds."""

TrafficOutcome = tuple[float, float, bool, Driver, Sampler, dict[str, tuple[float, float]]]
"""(traffic end t, quiesce end t, converged, driver, sampler, applied fault windows)"""


def _clock_text(scenario: Any, t: float) -> str:
    moment = scenario.start + dt.timedelta(seconds=max(t, 0.0))
    return str(moment.strftime("%a %H:%M:%S"))


async def traffic_phase(
    *,
    scenario: Any,
    clock: RunClock,
    servers: MockServers,
    txns: list[Txn],
    plan: FaultPlan,
    events: list[Any],
    exponent: int,
    stores: list[str],
    connector: RunningConnector,
    report: ProgressFn,
    erp_stock: ErpStockReader | None = None,
) -> TrafficOutcome:
    """Run the traffic and quiesce phases; ``erp_stock`` reads a real ERP's stock (None:
    the mock ERP's read-back API)."""
    applied: dict[str, tuple[float, float]] = {}
    sampler = Sampler(
        clock=clock,
        every_t=SAMPLE_EVERY_T,
        pos_url=servers.pos_url,
        erp_inventory_url=servers.erp_inventory_url if servers.has_erp else "",
        token=servers.credentials.harness,
        stores=stores,
        connector_url=connector.url,
        erp_stock=erp_stock,
    )

    def follow_price(event: ErpEvent, wall: float) -> None:
        if event.kind in ("price_change", "new_item") and event.unit_price_minor is not None:
            sampler.watch_price(
                event.sku, kind=event.kind, unit_price_minor=event.unit_price_minor, wall=wall
            )

    applier = ErpEventApplier(
        company_url=servers.erp_company_url,
        token=servers.credentials.harness,
        exponent=exponent,
        on_applied=follow_price,
    )
    actions = [
        TimedAction(e.t, f"erp:{e.ref}", functools.partial(applier.apply, e)) for e in events
    ]
    for fault in plan.mock_faults():
        base = servers.pos_url if fault.applied_by == "pos" else servers.erp_base
        activate = functools.partial(
            _activate_fault, base, fault.runtime_spec(clock.speed), fault.id, applied
        )
        actions.append(TimedAction(fault.start_t, f"fault:{fault.id}", activate))
    for fault in plan.connector_outages():
        wall = (fault.end_t - fault.start_t) / clock.speed
        actions.append(
            TimedAction(
                fault.start_t,
                f"connector-outage:{fault.id}",
                functools.partial(connector.outage, wall),
            )
        )
    driver = Driver(
        pos_url=servers.pos_url,
        admin_token=ADMIN_TOKEN,
        clock=clock,
        transactions=txns,
        offline=plan.offline_windows(),
        actions=actions,
    )
    end_t = max(scenario.duration.total_seconds(), clock.t_at(driver.last_due_wall))

    def status(phase: str) -> LiveStatus:
        now = time.time()
        t = clock.t_at(now)
        last = sampler.last
        return LiveStatus(
            phase,
            sim_t=t,
            sim_end_t=end_t,
            clock_text=_clock_text(scenario, t),
            sent=driver.stats.sent,
            due=driver.stats.due,
            sales_per_s=driver.stats.sales_per_s(now),
            max_lag_s=driver.stats.max_lag_s,
            backlog=None if last is None else last.backlog,
            drift_units=None if last is None else last.drift_units,
            pairs_off=None if last is None else last.pairs_off,
        )

    phase = ["traffic"]

    async def ticker() -> None:
        while True:
            report(status(phase[0]))
            await asyncio.sleep(0.5)

    sampling = asyncio.create_task(sampler.run())
    ticking = asyncio.create_task(ticker())
    try:
        await driver.run()
        remaining = clock.wall_at(scenario.duration.total_seconds()) - time.time()
        if remaining > 0:
            await asyncio.sleep(remaining)
        traffic_end_t = clock.now_t()
        phase[0] = "quiesce"
        bound = 2 * scenario.slo.converge_within.total_seconds()
        quiesce_end_t, converged = await quiesce(sampler, clock=clock, bound_t=bound)
    finally:
        sampler.stop()
        ticking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticking
        await sampling
    report(status("quiesce"))
    return traffic_end_t, quiesce_end_t, converged, driver, sampler, applied


async def _activate_fault(
    base: str, spec: dict[str, Any], fault_id: str, applied: dict[str, tuple[float, float]]
) -> None:
    """``POST /admin/faults`` now; remember the wall window the mock reports."""
    async with httpx.AsyncClient(
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=10
    ) as client:
        response = await client.post(f"{base}/admin/faults", json=spec)
        response.raise_for_status()
        body = response.json()
    applied[fault_id] = (float(body["start"]), float(body["end"]))
