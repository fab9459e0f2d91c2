"""`run_live`: one live run of a scenario against a connector, start to verdict.

A run is a list of phases over two targets (`tillbench.live.targets`: the POS and the ERP,
each a mock dialect or a real system), one function each:

1. `_prepare`: the targets chosen and checked, a new run directory, the fault plan and the
   first fields of ``run.json`` (what the ERP target cannot do goes into its notes);
2. `_start_targets`: spawn both (a real ERP's start returns once it answers);
3. `_simulate`: the ground truth while they boot — truth tables, world, transactions,
   ERP-side events;
4. `_seed_targets`: wait until both answer, seed them with the world;
5. `_start_connector`: its environment from the targets; started (or attached) and healthy;
6. `_drive`: both targets anchored on the run's clock, then drive, sample and quiesce
   (`tillbench.live.traffic`);
7. `_collect`: the connector stopped, each target writes its end state;
8. `_record`: the driver's, sampler's and faults' tables and ``run.json``;
9. `_verify`: the verdict and ``report.html`` (`tillbench.verdicts.finish_run`).

Every child process is stopped on the way out, also on errors, Ctrl-C and SIGTERM.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from domain.clock import RunClock
from domain.rundir import RunMeta, write_table
from domain.rundir.meta import ConnectorExit
from tillbench import __version__
from tillbench.live.connector import (
    ConnectorSpec,
    RunningConnector,
    connector_settings,
    resolve_connector,
)
from tillbench.live.connector_env import connector_env
from tillbench.live.driver import Driver, Txn
from tillbench.live.erp_events import ErpEvent, plan_erp_events
from tillbench.live.errors import LiveError
from tillbench.live.faults import FaultPlan, plan_faults
from tillbench.live.mocks import ADMIN_TOKEN, Credentials
from tillbench.live.payloads import transaction_payload
from tillbench.live.processes import ProcessSet, terminate_as_interrupt
from tillbench.live.redaction import Secrets
from tillbench.live.seed import opening_stock
from tillbench.live.status import LiveStatus, ProgressFn
from tillbench.live.targets import (
    DEFAULT_ERP,
    DEFAULT_POS,
    ErpTarget,
    PosTarget,
    TargetOptions,
    TargetRun,
    erp_target,
    pos_target,
)
from tillbench.live.traffic import TrafficOutcome, traffic_phase
from tillbench.runs import new_run_dir
from tillbench.verdicts import finish_run

__all__ = ["LiveRun", "run_live"]

START_LEAD_S = 1.0
"""Wall seconds between anchoring the clock and simulated t = 0."""


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
    report: Path | None = None
    """The HTML report, when it could be built."""
    report_error: str | None = None

    @property
    def exit_code(self) -> int:
        """0 pass, 1 an SLO failed (from the verdict; without one: 1 unless every
        transaction was accepted and the systems converged)."""
        if self.verdict is not None:
            return int(self.verdict.exit_code)
        return 0 if self.converged and self.sent_ok == self.transactions else 1


def run_live(
    scenario: Any,
    *,
    connector: ConnectorSpec | str | None = None,
    connector_url: str | None = None,
    out: Path,
    speed: float | None = None,
    seed: int | None = None,
    db_url: str | None = None,
    progress: ProgressFn | None = None,
    verify: bool = True,
    erp_events: bool = True,
    health_timeout_s: float | None = None,
    pos: str = DEFAULT_POS,
    erp: str = DEFAULT_ERP,
    erp_db_url: str | None = None,
    workers: int | None = None,
) -> LiveRun:
    """Run ``scenario`` live against a connector; write everything under ``out``.

    ``connector`` is a `ConnectorSpec`, a reference name (``realtime``, ``batch``,
    ``hybrid``; the default is ``realtime``) or a shell command; ``connector_url`` attaches
    to a connector the user runs himself instead (see `resolve_connector`).

    ``pos`` and ``erp`` name the targets (``tillbench.live.targets``: ``square``; ``bc``,
    the mock Business Central, or ``tryton``, a real Tryton: its database from the
    scenario's world, SQLite under the run directory or PostgreSQL at ``erp_db_url``;
    ERP-side events and the scenario's ERP faults are skipped there, as ``run.json`` says).
    ``speed`` overrides the scenario's; ``db_url`` puts the mocks on PostgreSQL;
    ``erp_events`` switches the ERP-side events off; ``health_timeout_s`` bounds the wait
    for the connector's ``/health`` (default 30 s, 120 s for an attached one); ``workers``
    sets the reference connectors' concurrent ERP writers (default: theirs, or what the
    ERP target takes: one for Tryton on SQLite). Raises `UsageError` (e.g.
    `ConnectorNotHealthy`) for problems the user can fix and `HarnessError` when a target
    fails.
    """
    secrets = Secrets()
    secrets.add_url(db_url)
    secrets.add_url(erp_db_url)
    try:
        return _run_live(
            scenario,
            secrets=secrets,
            connector=connector,
            connector_url=connector_url,
            out=out,
            speed=speed,
            seed=seed,
            options=TargetOptions(db_url=db_url, erp_db_url=erp_db_url),
            pos=pos,
            erp=erp,
            progress=progress,
            erp_events=erp_events,
            health_timeout_s=health_timeout_s,
            workers=workers,
            verify=verify,
        )
    except LiveError as exc:
        masked = secrets.mask(str(exc))
        if masked == str(exc):
            raise
        raise type(exc)(masked) from None


def _run_live(
    scenario: Any,
    *,
    secrets: Secrets,
    connector: ConnectorSpec | str | None,
    connector_url: str | None,
    out: Path,
    speed: float | None,
    seed: int | None,
    options: TargetOptions,
    pos: str,
    erp: str,
    progress: ProgressFn | None,
    erp_events: bool,
    health_timeout_s: float | None,
    workers: int | None,
    verify: bool,
) -> LiveRun:
    """`run_live`, its errors' messages masked by the caller."""
    run = _prepare(
        scenario,
        secrets=secrets,
        connector=connector,
        connector_url=connector_url,
        out=out,
        speed=speed,
        seed=seed,
        options=options,
        pos=pos,
        erp=erp,
        progress=progress,
        erp_events=erp_events,
        health_timeout_s=health_timeout_s,
        workers=workers,
    )
    with terminate_as_interrupt(), ProcessSet() as procs, contextlib.ExitStack() as stack:
        _start_targets(run, procs, stack)
        truth = _simulate(run)
        _seed_targets(run, truth)
        live_connector = _start_connector(run, procs)
        clock, traffic = _drive(run, truth, live_connector)
        counts = _collect(run, live_connector, clock, truth.stores)
    records = _record(run, clock, truth, traffic, counts, live_connector)
    return _verify(run, traffic, records, verify=verify)


@dataclasses.dataclass(slots=True)
class _Run:
    """What the phases share."""

    scenario: Any
    connector: ConnectorSpec
    pos: PosTarget
    erp: ErpTarget
    target_run: TargetRun
    plan: FaultPlan
    meta: dict[str, Any]
    report: ProgressFn
    erp_events: bool
    workers: int | None
    health_timeout_s: float | None
    started: float
    secrets: Secrets

    @property
    def run_dir(self) -> Path:
        return self.target_run.run_dir

    @property
    def speed(self) -> float:
        return self.target_run.speed

    @property
    def seed(self) -> int | None:
        return self.target_run.seed

    @property
    def sides(self) -> str:
        return f"the POS ({self.pos.name}) and the ERP ({self.erp.name})"


@dataclasses.dataclass(frozen=True, slots=True)
class _Truth:
    """The simulated ground truth the run replays."""

    world: Any
    txns: list[Txn]
    stores: list[str]
    events: list[ErpEvent]


def _prepare(
    scenario: Any,
    *,
    secrets: Secrets,
    connector: ConnectorSpec | str | None,
    connector_url: str | None,
    out: Path,
    speed: float | None,
    seed: int | None,
    options: TargetOptions,
    pos: str,
    erp: str,
    progress: ProgressFn | None,
    erp_events: bool,
    health_timeout_s: float | None,
    workers: int | None,
) -> _Run:
    """Check what was asked for, make the run directory and plan the faults."""
    spec = (
        connector
        if isinstance(connector, ConnectorSpec)
        else resolve_connector(connector, connector_url)
    )
    pos_side, erp_side = pos_target(pos, options), erp_target(erp, options)
    run_speed = float(speed if speed is not None else scenario.speed)
    run_dir = new_run_dir(out, scenario.name)
    plan = plan_faults(scenario, speed=run_speed, erp_faults=erp_side.faults_skipped is None)
    notes: list[str] = []
    if erp_events and erp_side.events_skipped is not None:
        notes.append(erp_side.events_skipped)
    workers, workers_note = erp_side.workers(workers)
    if workers_note is not None:
        notes.append(workers_note)
    meta: dict[str, Any] = {
        "run_id": run_dir.name,
        "scenario": scenario.name,
        "seed": scenario.seed if seed is None else seed,
        "connector": {**spec.describe(), "erp_credential": "connector"},
        "speed": run_speed,
        "sim_start": scenario.start.isoformat(),
        "timezone": scenario.timezone,
        "versions": {"tillbench": __version__, "python": sys.version.split()[0]},
        "pos_kind": pos_side.name,
        "erp_kind": erp_side.name,
        "credentials": {"connector": "connector", "harness": "harness"},
        "erp_credential": "connector",
        "notes": notes,
        "workers": workers,
    }
    if erp_side.faults_skipped is not None:
        meta["faults_not_applicable"] = [
            {"id": f.id, "target": f.target, "kind": f.kind, "why": erp_side.faults_skipped}
            for f in plan.not_applicable()
        ]
    credentials = Credentials.generate()
    secrets.add(credentials.connector, credentials.harness, ADMIN_TOKEN)
    shown = progress or (lambda _status: None)

    def report(status: LiveStatus) -> None:
        masked = secrets.mask(status.message)
        shown(status if masked == status.message else dataclasses.replace(status, message=masked))

    return _Run(
        scenario=scenario,
        connector=spec,
        pos=pos_side,
        erp=erp_side,
        target_run=TargetRun(
            scenario=scenario,
            run_dir=run_dir,
            speed=run_speed,
            credentials=credentials,
            seed=seed,
            progress=lambda message: report(LiveStatus("starting", message)),
        ),
        plan=plan,
        meta=meta,
        report=report,
        erp_events=erp_events and erp_side.events_skipped is None,
        workers=workers,
        health_timeout_s=health_timeout_s,
        started=time.time(),
        secrets=secrets,
    )


def _start_targets(run: _Run, procs: ProcessSet, stack: contextlib.ExitStack) -> None:
    """Start the POS, then the ERP; ``stack`` stops them."""
    run.report(LiveStatus("starting", f"starting {run.sides}"))
    for target in (run.pos, run.erp):
        stack.callback(target.stop)
        target.start(run.target_run, procs)
    for key, target in (("pos", run.pos), ("erp", run.erp)):
        described = target.describe()
        if described is not None:
            run.meta[key] = described


def _simulate(run: _Run) -> _Truth:
    """The scenario's ground truth into ``truth/``, and what the driver will replay."""
    from simulator import build_world, simulate_traffic

    run.report(LiveStatus("starting", f"simulating the ground truth into {run.run_dir}"))
    simulate_traffic(run.scenario, run.run_dir, seed=run.seed)
    world = build_world(run.scenario, seed=run.seed)
    seed = run.scenario.seed if run.seed is None else run.seed
    events = (
        plan_erp_events(run.scenario, world, run.run_dir, rng=random.Random(f"{seed}:erp"))
        if run.erp_events
        else []
    )
    return _Truth(
        world=world,
        txns=_transactions(run.scenario, run.seed),
        stores=list(world.store_ids),
        events=events,
    )


def _seed_targets(run: _Run, truth: _Truth) -> None:
    """Wait until both targets answer; load the world and the opening stock."""
    run.report(LiveStatus("starting", f"seeding {run.sides}"))
    run.pos.ready()
    run.erp.ready()
    stock = opening_stock(run.run_dir)
    seeded = run.erp.seed(truth.world, stock)
    run.meta["seeded"] = {**run.pos.seed(truth.world, stock), **seeded}


def _start_connector(run: _Run, procs: ProcessSet) -> RunningConnector:
    """Write the connector's environment, start it (or find it) and wait for ``/health``."""
    prepared = connector_env(
        run.connector,
        pos=run.pos,
        erp=run.erp,
        run_dir=run.run_dir,
        settings=connector_settings(run.scenario, speed=run.speed, workers=run.workers),
    )
    run.secrets.add_env(prepared.env)

    def exited(entry: dict[str, Any]) -> None:
        found = ConnectorExit(code=entry["code"], t=None, wall=entry["wall"], restarted=False)
        proc = live_connector.proc
        log = f"; its log: {proc.log_path}" if proc is not None else ""
        run.report(
            LiveStatus(
                "event",
                f"the connector exited unexpectedly ({found.describe()}); the harness does "
                f"not restart it{log}",
            )
        )

    live_connector = RunningConnector(
        procs,
        run.connector,
        env=prepared.env,
        log_dir=prepared.log_dir,
        url=prepared.url,
        health_timeout_s=run.health_timeout_s,
        on_exit=exited,
    )
    message = (
        f"waiting for your connector at {prepared.url}/health "
        f"(environment: {prepared.folder}/env.sh)"
        if run.connector.attached
        else f"starting the connector: {run.connector.command}"
    )
    run.report(LiveStatus("starting", message))
    live_connector.start()
    run.meta["urls"] = {
        "pos": run.pos.url,
        "erp": run.erp.url,
        "connector": prepared.url,
        "webhook": prepared.webhook,
    }
    run.meta["databases"] = {"pos": run.pos.database, "erp": run.erp.database}
    return live_connector


def _drive(
    run: _Run, truth: _Truth, live_connector: RunningConnector
) -> tuple[RunClock, TrafficOutcome]:
    """Anchor both targets on the run's clock, then drive, sample and quiesce."""
    clock = RunClock(
        wall_origin=time.time() + START_LEAD_S, speed=run.speed, start=run.scenario.start
    )
    run.meta["wall_origin"] = clock.wall_origin
    run.pos.anchor(clock)
    run.erp.anchor(clock)
    _write_meta(run)
    traffic = asyncio.run(
        traffic_phase(
            scenario=run.scenario,
            clock=clock,
            pos=run.pos,
            erp=run.erp,
            txns=truth.txns,
            plan=run.plan,
            events=truth.events,
            stores=truth.stores,
            connector=live_connector,
            report=run.report,
        )
    )
    return clock, traffic


def _collect(
    run: _Run, live_connector: RunningConnector, clock: RunClock, stores: list[str]
) -> dict[str, int]:
    """Stop the connector; both targets write their end state at once. Row counts."""
    run.report(LiveStatus("collect", "stopping the connector and collecting the end state"))
    live_connector.stop()
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="collect") as pool:
        sides = [
            pool.submit(target.collect, run.run_dir, clock=clock, stores=stores)
            for target in (run.pos, run.erp)
        ]
        return {name: rows for side in sides for name, rows in side.result().items()}


def _record(
    run: _Run,
    clock: RunClock,
    truth: _Truth,
    traffic: TrafficOutcome,
    counts: dict[str, int],
    live_connector: RunningConnector,
) -> list[dict[str, Any]]:
    """The driver's, sampler's and faults' tables, the action log and ``run.json``;
    returns the driver's rows."""
    driver, sampler, run_dir = traffic.driver, traffic.sampler, run.run_dir
    records = [r.row() for r in driver.records.values()]
    write_table(run_dir, "driver/sent", records)
    faults = [f.row(clock, traffic.applied.get(f.id)) for f in run.plan.timeline()]
    write_table(run_dir, "faults", faults)
    write_table(run_dir, "samples/stock", sampler.stock_rows)
    write_table(run_dir, "samples/connector", sampler.connector_rows)
    write_table(run_dir, "samples/prices", sampler.price_sync_rows())
    write_table(run_dir, "erp/price_changes", _price_changes(truth.events, driver, clock))
    (run_dir / "driver" / "actions.json").write_text(
        json.dumps(driver.action_log, indent=2, default=str) + "\n"
    )
    lags = [r["lag_s"] for r in records]
    run.meta.update(
        traffic_end_t=traffic.traffic_end_t,
        quiesce_end_t=traffic.quiesce_end_t,
        converged=traffic.converged,
        connector_restarts=live_connector.restarts,
        connector_exits=live_connector.exits,
        transactions=len(records),
        sent_ok=_accepted(records),
        driver_lag={
            "p50": _percentile(lags, 0.5),
            "p99": _percentile(lags, 0.99),
            "max": max(lags, default=0.0),
        },
        erp_events=[dataclasses.asdict(e) for e in truth.events],
        ignored_faults=[f.id for f in run.plan.faults if f.applied_by == "ignored"],
        table_rows=counts,
        wall_s=time.time() - run.started,
    )
    _write_meta(run)
    return records


def _verify(
    run: _Run, traffic: TrafficOutcome, records: list[dict[str, Any]], *, verify: bool
) -> LiveRun:
    """Verify, build the report and say how the run went."""
    run.report(LiveStatus("verify", "verifying and writing the report"))
    finished = finish_run(run.run_dir, verify=verify)
    run.report(LiveStatus("done", str(run.run_dir)))
    lags = [r["lag_s"] for r in records]
    return LiveRun(
        run_dir=run.run_dir,
        transactions=len(records),
        sent_ok=_accepted(records),
        max_lag_s=max(lags, default=0.0),
        p99_lag_s=_percentile(lags, 0.99),
        converged=traffic.converged,
        traffic_end_t=traffic.traffic_end_t,
        quiesce_end_t=traffic.quiesce_end_t,
        wall_s=time.time() - run.started,
        verdict=finished.verdict,
        verify_error=finished.verify_error,
        report=finished.report,
        report_error=finished.report_error,
    )


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


def _accepted(records: list[dict[str, Any]]) -> int:
    return sum(1 for r in records if 200 <= r["status"] < 300)


def _percentile(values: list[float], q: float) -> float:
    clean = sorted(v for v in values if v == v)
    if not clean:
        return 0.0
    index = min(len(clean) - 1, max(0, round(q * (len(clean) - 1))))
    return clean[index]


def _price_changes(events: list[ErpEvent], driver: Driver, clock: RunClock) -> list[dict[str, Any]]:
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


def _write_meta(run: _Run) -> None:
    """``run.json``, every credential masked."""
    RunMeta.from_dict(run.secrets.mask_tree(run.meta)).write(run.run_dir)
