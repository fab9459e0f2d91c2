"""The traffic of a live run — drive, sample, quiesce — on one asyncio loop.

The sampler polls both targets' stock (and the connector's metrics) from the first
transaction to the end of the quiesce phase, a ticker reports progress every half second.
*Drive*: the driver replays the transactions into the POS target's ingestion door and runs
the timed actions on schedule (ERP-side events through the ERP target, faults through the
target they strike, connector outages), until the last transaction and at least the
scenario's duration. *Quiesce*: wait for convergence, bounded (`tillbench.live.quiesce`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import functools
import time
from typing import Any

from domain.clock import RunClock
from tillbench.live.connector import RunningConnector
from tillbench.live.driver import Driver, TimedAction, Txn
from tillbench.live.erp_events import ErpEvent
from tillbench.live.faults import FaultPlan
from tillbench.live.quiesce import quiesce
from tillbench.live.sampler import Sampler
from tillbench.live.status import LiveStatus, ProgressFn
from tillbench.live.targets import ErpTarget, PosTarget, Target

__all__ = ["SAMPLE_EVERY_T", "TrafficOutcome", "traffic_phase"]

SAMPLE_EVERY_T = 60.0
"""Stock sampling interval in simulated seconds."""


@dataclasses.dataclass(frozen=True, slots=True)
class TrafficOutcome:
    """What the traffic did: when it ended, whether the systems converged, and the
    driver's, sampler's and faults' records."""

    traffic_end_t: float
    quiesce_end_t: float
    converged: bool
    driver: Driver
    sampler: Sampler
    applied: dict[str, tuple[float, float]]
    """Fault id → the (start, end) wall window the target reported."""


def _clock_text(scenario: Any, t: float) -> str:
    moment = scenario.start + dt.timedelta(seconds=max(t, 0.0))
    return str(moment.strftime("%a %H:%M:%S"))


async def traffic_phase(
    *,
    scenario: Any,
    clock: RunClock,
    pos: PosTarget,
    erp: ErpTarget,
    txns: list[Txn],
    plan: FaultPlan,
    events: list[ErpEvent],
    stores: list[str],
    connector: RunningConnector,
    report: ProgressFn,
) -> TrafficOutcome:
    """Drive the traffic while sampling, then quiesce (module docstring)."""
    applied: dict[str, tuple[float, float]] = {}
    sampler = Sampler(
        clock=clock,
        every_t=SAMPLE_EVERY_T,
        stores=stores,
        pos_stock=pos.stock_read(stores),
        erp_stock=erp.stock_read(stores),
        pos_prices=pos.price_read(),
        connector_url=connector.url,
    )

    def follow_price(event: ErpEvent, wall: float) -> None:
        if event.kind in ("price_change", "new_item") and event.unit_price_minor is not None:
            sampler.watch_price(
                event.sku, kind=event.kind, unit_price_minor=event.unit_price_minor, wall=wall
            )

    apply = erp.events(on_applied=follow_price) if events else None
    actions = (
        [TimedAction(e.t, f"erp:{e.ref}", functools.partial(apply, e)) for e in events]
        if apply is not None
        else []
    )
    for fault in plan.mock_faults():
        target: Target = pos if fault.applied_by == "pos" else erp
        activate = functools.partial(
            _activate_fault, target, fault.runtime_spec(clock.speed), fault.id, applied
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
        pos_url=pos.driver_url,
        admin_token=pos.driver_token,
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
        traffic_end_t = await _drive(driver, clock=clock, until_t=scenario.duration.total_seconds())
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
    return TrafficOutcome(traffic_end_t, quiesce_end_t, converged, driver, sampler, applied)


async def _drive(driver: Driver, *, clock: RunClock, until_t: float) -> float:
    """Send everything on schedule and run the timed actions, then wait for simulated
    ``until_t`` (the scenario's end); the simulated time the traffic ended."""
    await driver.run()
    remaining = clock.wall_at(until_t) - time.time()
    if remaining > 0:
        await asyncio.sleep(remaining)
    return clock.now_t()


async def _activate_fault(
    target: Target, spec: dict[str, Any], fault_id: str, applied: dict[str, tuple[float, float]]
) -> None:
    """Start the fault now; remember the wall window the target reports."""
    applied[fault_id] = await target.fault(spec)
