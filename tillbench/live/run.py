"""`run_live`: one live run of a scenario against a connector, start to verdict.

Steps: simulate the ground truth into a new run directory; start the mock POS and ERP and
seed them; create the webhook subscription; start (or attach to) the connector; anchor
the mocks' fault timeline on the run's clock; drive the traffic while sampling stock;
quiesce; stop the connector; collect the end state; verify (when ``reports.verify`` is
available). Every child process is stopped on the way out, also on errors and Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tillbench import __version__
from tillbench.live.clock import RunClock
from tillbench.live.collect import collect
from tillbench.live.connector import (
    ConnectorSpec,
    await_health,
    base_url,
    connector_settings,
    listen_address,
    start_connector,
    webhook_url,
    write_env,
)
from tillbench.live.driver import Driver, TimedAction, Txn
from tillbench.live.erp_events import ErpEventApplier, plan_erp_events
from tillbench.live.faults import FaultPlan, plan_faults
from tillbench.live.mocks import ADMIN_TOKEN, MockServers, launch_mocks
from tillbench.live.payloads import transaction_payload
from tillbench.live.ports import free_ports
from tillbench.live.processes import ManagedProcess, ProcessSet, terminate_as_interrupt
from tillbench.live.quiesce import quiesce
from tillbench.live.sampler import Sampler
from tillbench.live.seed import seed_mocks
from tillbench.live.status import LiveStatus, ProgressFn
from tillbench.live.subscription import create_subscription
from tillbench.live.tables import write_table
from tillbench.runs import new_run_dir

__all__ = ["LiveRun", "run_live"]

START_LEAD_S = 1.0
"""Wall seconds between anchoring the clock and simulated t = 0."""
SAMPLE_EVERY_T = 60.0
"""Stock sampling interval in simulated seconds."""


@dataclasses.dataclass(frozen=True, slots=True)
class LiveRun:
    """A finished live run: where it wrote, what happened, and the verdict if verified."""

    run_dir: Path
    transactions: int
    sent_ok: int
    max_lag_s: float
    p99_lag_s: float
    converged: bool
    traffic_end_t: float
    quiesce_end_t: float
    wall_s: float
    verdict: Any | None = None
    """``reports.Verdict`` when verification ran, else None."""
    verify_error: str | None = None
    """Why verification could not run, when it failed."""

    @property
    def exit_code(self) -> int:
        """0 pass, 1 an SLO failed (from the verdict; without one: 1 unless every
        transaction was accepted and the systems converged)."""
        if self.verdict is not None:
            return int(self.verdict.exit_code)
        return 0 if self.converged and self.sent_ok == self.transactions else 1


def _exponent(currency: str) -> int:
    from domain import Money

    return -int(Money.from_minor(1, currency).amount.as_tuple().exponent)


def _transactions(scenario: Any, seed: int | None) -> list[Txn]:
    from simulator import iter_events

    zone = scenario.zone
    return [
        Txn(
            t=float(event.t),
            txn_id=event.txn_id,
            kind=event.kind,
            store_id=event.store_id,
            payload=transaction_payload(event.kind, event.document, zone=zone),
        )
        for event in iter_events(scenario, seed=seed)
    ]


def _anchor_clock(servers: MockServers, scenario: Any, clock: RunClock) -> None:
    body = {
        "start": scenario.start.isoformat(),
        "speed": clock.speed,
        "wall_origin": clock.wall_origin,
    }
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    for base in (servers.pos_url, servers.erp_base):
        response = httpx.put(f"{base}/admin/clock", json=body, headers=headers, timeout=10)
        response.raise_for_status()


def _percentile(values: list[float], q: float) -> float:
    clean = sorted(v for v in values if v == v)
    if not clean:
        return 0.0
    index = min(len(clean) - 1, max(0, round(q * (len(clean) - 1))))
    return clean[index]


def _clock_text(scenario: Any, t: float) -> str:
    import datetime as dt

    moment = scenario.start + dt.timedelta(seconds=max(t, 0.0))
    return str(moment.strftime("%a %H:%M:%S"))


class _Connector:
    """The running connector (a process we own, or an attached URL) and its restarts."""

    def __init__(
        self,
        procs: ProcessSet,
        spec: ConnectorSpec,
        *,
        env: dict[str, str],
        log_dir: Path,
        url: str,
        health_timeout_s: float | None,
    ) -> None:
        self.health_timeout_s = health_timeout_s
        self.procs = procs
        self.spec = spec
        self.env = env
        self.log_dir = log_dir
        self.url = url
        self.proc: ManagedProcess | None = None
        self.restarts = 0

    def start(self) -> None:
        if not self.spec.attached:
            self.proc = start_connector(self.procs, self.spec, env=self.env, log_dir=self.log_dir)
        await_health(self.proc, self.spec, self.url, timeout=self.health_timeout_s)

    async def outage(self, duration_wall: float) -> None:
        """Kill the connector (SIGKILL), wait, start it again with the same environment."""
        if self.proc is None:
            return
        await asyncio.to_thread(self.proc.kill)
        self.procs.forget(self.proc)
        await asyncio.sleep(duration_wall)
        self.restarts += 1
        await asyncio.to_thread(self.start)

    def stop(self) -> None:
        if self.proc is not None:
            self.procs.forget(self.proc)
            self.proc = None


def run_live(
    scenario: Any,
    *,
    connector: ConnectorSpec,
    out: Path,
    speed: float | None = None,
    seed: int | None = None,
    db_url: str | None = None,
    progress: ProgressFn | None = None,
    verify: bool = True,
    erp_events: bool = True,
    health_timeout_s: float | None = None,
) -> LiveRun:
    """Run ``scenario`` live against ``connector``; write everything under ``out``.

    ``speed`` overrides the scenario's; ``db_url`` puts the mocks on PostgreSQL;
    ``erp_events`` switches the ERP-side events off; ``health_timeout_s`` bounds the wait
    for the connector's ``/health`` (default 30 s, 120 s for an attached one). Raises
    `UsageError` (e.g. `ConnectorNotHealthy`) for problems the user can fix and
    `HarnessError` when a mock fails.
    """
    from simulator import build_world, simulate_traffic

    report = progress or (lambda _status: None)
    started = time.time()
    run_speed = float(speed if speed is not None else scenario.speed)
    run_dir = new_run_dir(out, scenario.name)
    plan = plan_faults(scenario, speed=run_speed)
    exponent = _exponent(scenario.currency)
    described = {**connector.describe(), "erp_credential": "connector"}
    meta: dict[str, Any] = {
        "run_id": run_dir.name,
        "scenario": scenario.name,
        "seed": scenario.seed if seed is None else seed,
        "connector": described,
        "speed": run_speed,
        "sim_start": scenario.start.isoformat(),
        "timezone": scenario.timezone,
        "versions": {"tillbench": __version__, "python": sys.version.split()[0]},
        "pos_kind": "mock-square",
        "erp_kind": "mock-business-central",
        "credentials": {"connector": "connector", "harness": "harness"},
        "erp_credential": "connector",
    }
    with terminate_as_interrupt(), ProcessSet() as procs:
        report(LiveStatus("starting", "starting the mock POS and ERP"))
        launch = launch_mocks(
            procs, scenario=scenario, run_dir=run_dir, speed=run_speed, db_url=db_url
        )
        report(LiveStatus("starting", f"simulating the ground truth into {run_dir}"))
        simulate_traffic(scenario, run_dir, seed=seed)
        world = build_world(scenario, seed=seed)
        txns = _transactions(scenario, seed)
        stores = list(world.store_ids)
        rng = random.Random(f"{scenario.seed if seed is None else seed}:erp")
        events = plan_erp_events(scenario, world, run_dir, rng=rng) if erp_events else []
        report(LiveStatus("starting", "seeding the mock POS and ERP"))
        servers = launch.ready()
        seeded = seed_mocks(
            servers, scenario=scenario, world=world, run_dir=run_dir, exponent=exponent
        )
        (listen_port,) = free_ports(1)
        hook_url = webhook_url(connector, listen_port)
        secret = create_subscription(
            servers.pos_url, token=servers.credentials.harness, notification_url=hook_url
        )
        conn_dir = run_dir / "connector"
        (conn_dir / "state").mkdir(parents=True, exist_ok=True)
        (conn_dir / "logs").mkdir(parents=True, exist_ok=True)
        env = {
            "TILLBENCH_RUN_ID": run_dir.name,
            "TILLBENCH_POS_URL": servers.pos_url,
            "TILLBENCH_POS_TOKEN": servers.credentials.connector,
            "TILLBENCH_ERP_URL": servers.erp_url,
            "TILLBENCH_ERP_COMPANY": servers.company_id,
            "TILLBENCH_ERP_TOKEN": servers.credentials.connector,
            "TILLBENCH_WEBHOOK_SECRET": secret,
            "TILLBENCH_WEBHOOK_URL": hook_url,
            "TILLBENCH_LISTEN": listen_address(connector, listen_port),
            "TILLBENCH_STATE_DIR": str((conn_dir / "state").resolve()),
            "TILLBENCH_LOG_DIR": str((conn_dir / "logs").resolve()),
            "TILLBENCH_SETTINGS": json.dumps(connector_settings(scenario, speed=run_speed)),
        }
        write_env(env, conn_dir)
        connector_url = base_url(connector, listen_port)
        live_connector = _Connector(
            procs,
            connector,
            env=env,
            log_dir=conn_dir / "logs",
            url=connector_url,
            health_timeout_s=health_timeout_s,
        )
        message = (
            f"waiting for your connector at {connector_url}/health (environment: {conn_dir}/env.sh)"
            if connector.attached
            else f"starting the connector: {connector.command}"
        )
        report(LiveStatus("starting", message))
        live_connector.start()
        meta["urls"] = {
            "pos": servers.pos_url,
            "erp": servers.erp_url,
            "connector": connector_url,
            "webhook": hook_url,
        }
        meta["seeded"] = seeded
        meta["databases"] = {
            "pos": _hide_password(servers.pos_db),
            "erp": _hide_password(servers.erp_db),
        }
        clock = RunClock(wall_origin=time.time() + START_LEAD_S, speed=run_speed)
        meta["wall_origin"] = clock.wall_origin
        _anchor_clock(servers, scenario, clock)
        _write_meta(run_dir, meta)
        result = asyncio.run(
            _live_phase(
                scenario=scenario,
                clock=clock,
                servers=servers,
                txns=txns,
                plan=plan,
                events=events,
                exponent=exponent,
                stores=stores,
                connector=live_connector,
                report=report,
            )
        )
        traffic_end_t, quiesce_end_t, converged, driver, sampler, applied = result
        report(LiveStatus("collect", "stopping the connector and collecting the end state"))
        live_connector.stop()
        counts = collect(run_dir, servers=servers, clock=clock, exponent=exponent, stores=stores)
    records = [r.row() for r in driver.records.values()]
    write_table(run_dir, "driver/sent", records)
    write_table(run_dir, "faults", [f.row(clock, applied.get(f.id)) for f in plan.faults])
    write_table(run_dir, "samples/stock", sampler.stock_rows)
    write_table(run_dir, "samples/connector", sampler.connector_rows)
    write_table(run_dir, "erp/price_changes", _price_changes(events, driver, clock))
    (run_dir / "driver" / "actions.json").write_text(
        json.dumps(driver.action_log, indent=2, default=str) + "\n"
    )
    lags = [r["lag_s"] for r in records]
    sent_ok = sum(1 for r in records if 200 <= r["status"] < 300)
    meta.update(
        traffic_end_t=traffic_end_t,
        quiesce_end_t=quiesce_end_t,
        converged=converged,
        connector_restarts=live_connector.restarts,
        transactions=len(records),
        sent_ok=sent_ok,
        driver_lag={
            "p50": _percentile(lags, 0.5),
            "p99": _percentile(lags, 0.99),
            "max": max(lags, default=0.0),
        },
        erp_events=[dataclasses.asdict(e) for e in events],
        ignored_faults=[f.id for f in plan.faults if f.applied_by == "ignored"],
        table_rows=counts,
        wall_s=time.time() - started,
    )
    _write_meta(run_dir, meta)
    verdict, verify_error = None, None
    if verify:
        report(LiveStatus("verify", "verifying"))
        verdict, verify_error = _verify(run_dir)
    report(LiveStatus("done", str(run_dir)))
    return LiveRun(
        run_dir=run_dir,
        transactions=len(records),
        sent_ok=sent_ok,
        max_lag_s=max(lags, default=0.0),
        p99_lag_s=_percentile(lags, 0.99),
        converged=converged,
        traffic_end_t=traffic_end_t,
        quiesce_end_t=quiesce_end_t,
        wall_s=time.time() - started,
        verdict=verdict,
        verify_error=verify_error,
    )


def _verify(run_dir: Path) -> tuple[Any | None, str | None]:
    """``reports.verify(run_dir)`` when the reports package provides it (feature-detected);
    returns (verdict, error message)."""
    try:
        import reports
    except ImportError:
        return None, "the reports package is not installed"
    verify = getattr(reports, "verify", None)
    if not callable(verify):
        return None, "reports.verify is not available yet"
    try:
        return verify(run_dir), None
    except Exception as exc:  # reported to the user with the run directory kept
        return None, f"{type(exc).__name__}: {exc}"


def _price_changes(events: list[Any], driver: Driver, clock: RunClock) -> list[dict[str, Any]]:
    done = {entry["name"]: entry for entry in driver.action_log}
    rows = []
    for event in events:
        if event.kind not in ("price_change", "new_item"):
            continue
        entry = done.get(f"erp:{event.ref}", {})
        wall = entry.get("done_wall")
        rows.append(
            {
                "sku": event.sku,
                "t": clock.t_at(wall) if wall is not None else None,
                "wall": wall,
                "unit_price_minor": event.unit_price_minor,
                "kind": event.kind,
                "error": entry.get("error", "not applied"),
            }
        )
    return rows


def _hide_password(url: str) -> str:
    import sqlalchemy as sa

    return str(sa.engine.make_url(url).render_as_string(hide_password=True))


def _write_meta(run_dir: Path, meta: dict[str, Any]) -> None:
    (run_dir / "run.json").write_text(
        json.dumps(meta, indent=2, sort_keys=True, default=str) + "\n"
    )


async def _live_phase(
    *,
    scenario: Any,
    clock: RunClock,
    servers: MockServers,
    txns: list[Txn],
    plan: FaultPlan,
    events: list[Any],
    exponent: int,
    stores: list[str],
    connector: _Connector,
    report: ProgressFn,
) -> tuple[float, float, bool, Driver, Sampler, dict[str, tuple[float, float]]]:
    applied: dict[str, tuple[float, float]] = {}
    applier = ErpEventApplier(
        company_url=servers.erp_company_url, token=servers.credentials.harness, exponent=exponent
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
    sampler = Sampler(
        clock=clock,
        every_t=SAMPLE_EVERY_T,
        pos_url=servers.pos_url,
        erp_inventory_url=servers.erp_inventory_url,
        token=servers.credentials.harness,
        stores=stores,
        connector_url=connector.url,
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
