"""`run_live`: one live run of a scenario against a connector, start to verdict.

Steps: spawn the mock POS and ERP while the ground truth is simulated into a new run
directory; seed the mocks; create the webhook subscription; start (or attach to) the
connector and wait for its ``/health``; anchor the mocks' clocks on the run's clock; the
traffic phase (`tillbench.live.traffic`); stop the connector; collect the end state;
write the tables and ``run.json``; verify and write ``report.html`` (`finish_run`). Every
child process is stopped on the way out, also on errors, Ctrl-C and SIGTERM.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from domain.rundir import RunMeta, write_table
from tillbench import __version__
from tillbench.live.clock import RunClock
from tillbench.live.collect import collect
from tillbench.live.connector import (
    ConnectorSpec,
    RunningConnector,
    connector_settings,
    resolve_connector,
)
from tillbench.live.connector_env import prepare_connector_env
from tillbench.live.driver import Driver, Txn
from tillbench.live.erp_events import plan_erp_events
from tillbench.live.faults import plan_faults
from tillbench.live.mocks import ADMIN_TOKEN, MockServers, launch_mocks
from tillbench.live.payloads import transaction_payload
from tillbench.live.processes import ProcessSet, terminate_as_interrupt
from tillbench.live.seed import seed_mocks
from tillbench.live.status import LiveStatus, ProgressFn
from tillbench.live.traffic import traffic_phase
from tillbench.live.tryton import (
    ERP_SIDE_EVENTS_NOTE,
    NOT_APPLICABLE_WHY,
    TRYTON_KIND,
    TrytonSide,
    check_erp,
    start_tryton,
)
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
        if not base:
            continue
        response = httpx.put(f"{base}/admin/clock", json=body, headers=headers, timeout=10)
        response.raise_for_status()


def _percentile(values: list[float], q: float) -> float:
    clean = sorted(v for v in values if v == v)
    if not clean:
        return 0.0
    index = min(len(clean) - 1, max(0, round(q * (len(clean) - 1))))
    return clean[index]


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
    erp: str = "mock",
    erp_db_url: str | None = None,
    workers: int | None = None,
) -> LiveRun:
    """Run ``scenario`` live against a connector; write everything under ``out``.

    ``connector`` is a `ConnectorSpec`, a reference name (``realtime``, ``batch``,
    ``hybrid``; the default is ``realtime``) or a shell command; ``connector_url`` attaches
    to a connector the user runs himself instead (see `resolve_connector`).

    ``speed`` overrides the scenario's; ``db_url`` puts the mocks on PostgreSQL;
    ``erp_events`` switches the ERP-side events off; ``health_timeout_s`` bounds the wait
    for the connector's ``/health`` (default 30 s, 120 s for an attached one).

    ``erp="tryton"`` puts a real Tryton behind the connector instead of the mock ERP
    (`tillbench.live.tryton`): its database from the scenario's world (SQLite under the
    run directory, or PostgreSQL at ``erp_db_url``), ERP-side events switched off and the
    scenario's ERP faults skipped as not applicable (both said in ``run.json``).
    ``workers`` sets the reference connectors' concurrent ERP writers (default: theirs; one
    for Tryton on SQLite, whose numbering breaks with concurrent writers). Raises
    `UsageError` (e.g. `ConnectorNotHealthy`) for problems the user can fix and
    `HarnessError` when a mock fails.
    """
    from simulator import build_world, simulate_traffic

    if not isinstance(connector, ConnectorSpec):
        connector = resolve_connector(connector, connector_url)
    report = progress or (lambda _status: None)
    started = time.time()
    run_speed = float(speed if speed is not None else scenario.speed)
    erp_kind = check_erp(erp, erp_db_url)
    mock_erp = erp_kind == "mock"
    run_dir = new_run_dir(out, scenario.name)
    plan = plan_faults(scenario, speed=run_speed, mock_erp=mock_erp)
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
    notes: list[str] = []
    if not mock_erp:
        meta["erp_kind"] = TRYTON_KIND
        if erp_events:
            notes.append(ERP_SIDE_EVENTS_NOTE)
        erp_events = False
        meta["faults_not_applicable"] = [
            {"id": f.id, "target": f.target, "kind": f.kind, "why": NOT_APPLICABLE_WHY}
            for f in plan.not_applicable()
        ]
        if workers is None and erp_db_url is None:
            workers = 1
            notes.append(
                "Tryton on SQLite: one ERP writer (workers=1); with more, Tryton hands out "
                "duplicate sale numbers: use PostgreSQL (--erp-db) for concurrent writers"
            )
    meta["notes"] = notes
    meta["workers"] = workers
    tryton: TrytonSide | None = None
    with terminate_as_interrupt(), ProcessSet() as procs, contextlib.ExitStack() as stack:
        what = "the mock POS and ERP" if mock_erp else "the mock POS"
        report(LiveStatus("starting", f"starting {what}"))
        launch = launch_mocks(
            procs,
            scenario=scenario,
            run_dir=run_dir,
            speed=run_speed,
            db_url=db_url,
            erp=mock_erp,
        )
        if not mock_erp:
            tryton = start_tryton(
                stack,
                scenario=scenario,
                seed=seed,
                run_dir=run_dir,
                erp_db_url=erp_db_url,
                progress=lambda message: report(LiveStatus("starting", message)),
            )
            meta["erp"] = tryton.describe()
        report(LiveStatus("starting", f"simulating the ground truth into {run_dir}"))
        simulate_traffic(scenario, run_dir, seed=seed)
        world = build_world(scenario, seed=seed)
        txns = _transactions(scenario, seed)
        stores = list(world.store_ids)
        rng = random.Random(f"{scenario.seed if seed is None else seed}:erp")
        events = plan_erp_events(scenario, world, run_dir, rng=rng) if erp_events else []
        report(LiveStatus("starting", f"seeding {what}"))
        servers = launch.ready()
        seeded = seed_mocks(
            servers, scenario=scenario, world=world, run_dir=run_dir, exponent=exponent
        )
        prepared = prepare_connector_env(
            connector,
            servers,
            run_dir=run_dir,
            settings=connector_settings(scenario, speed=run_speed, workers=workers),
            extra=tryton.connector_env() if tryton is not None else None,
        )
        env, conn_dir, connector_url = prepared.env, prepared.folder, prepared.url
        live_connector = RunningConnector(
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
            "erp": servers.erp_url if tryton is None else tryton.url,
            "connector": connector_url,
            "webhook": prepared.webhook,
        }
        meta["seeded"] = seeded
        meta["databases"] = {
            "pos": _hide_password(servers.pos_db),
            "erp": _hide_password(servers.erp_db)
            if tryton is None
            else f"{tryton.database_kind}: {tryton.database}",
        }
        clock = RunClock(wall_origin=time.time() + START_LEAD_S, speed=run_speed)
        meta["wall_origin"] = clock.wall_origin
        _anchor_clock(servers, scenario, clock)
        _write_meta(run_dir, meta)
        result = asyncio.run(
            traffic_phase(
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
                erp_stock=None if tryton is None else tryton.stock_reader(stores),
            )
        )
        traffic_end_t, quiesce_end_t, converged, driver, sampler, applied = result
        report(LiveStatus("collect", "stopping the connector and collecting the end state"))
        live_connector.stop()
        erp_tables = None
        if tryton is not None:
            erp_tables = tryton.collector(
                run_dir, clock=clock, exponent=exponent, currency=scenario.currency
            )
        counts = collect(
            run_dir,
            servers=servers,
            clock=clock,
            exponent=exponent,
            stores=stores,
            erp_tables=erp_tables,
        )
    records = [r.row() for r in driver.records.values()]
    write_table(run_dir, "driver/sent", records)
    write_table(run_dir, "faults", [f.row(clock, applied.get(f.id)) for f in plan.timeline()])
    write_table(run_dir, "samples/stock", sampler.stock_rows)
    write_table(run_dir, "samples/connector", sampler.connector_rows)
    write_table(run_dir, "samples/prices", sampler.price_sync_rows())
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
    report(LiveStatus("verify", "verifying and writing the report"))
    finished = finish_run(run_dir, verify=verify)
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
        verdict=finished.verdict,
        verify_error=finished.verify_error,
        report=finished.report,
        report_error=finished.report_error,
    )


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
    RunMeta.from_dict(meta).write(run_dir)
