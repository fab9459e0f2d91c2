"""`run_load`: ``tillbench load`` — mocks and connector as for ``run``, Locust headless on top.

Shapes ``day|ramp|spike|soak`` drive the store registers (``loadtests/pos_registers.py``)
against the POS while the connector carries the sales to the ERP. ``saturate`` raises a
constant offered rate step by step until an SLO breaks (`saturate.search`): by default
through the integration (registers at the POS, judged on end-to-end sync latency, errors
and the connector's backlog growth, `steps.integration_step`), or with ``target="erp"``
against the ERP alone (``loadtests/erp_direct.py``, connector bypassed).

After the load the harness waits until the connector's backlog is 0 and ERP commits stop
(`settle.wait_settled`, bounded by ``settle_s``), joins the POS acceptances with the ERP
commits (`e2e`), collects the end state (`verify.collect_state`) and verifies the run:
exactly once for every transaction the POS accepted, stock converged, the scenario's SLOs
(`reports.verify`). With ``host`` nothing is started: Locust loads that server, tokens
and URLs come from the ``TILLBENCH_*`` environment (``loadtests/README.md``) and the run
is not verified (its end state is not readable through the mocks' admin API).
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any

import yaml

from tillbench.live.connector import ConnectorSpec, resolve_connector
from tillbench.live.mocks import ADMIN_TOKEN, MockServers
from tillbench.live.processes import ProcessSet, terminate_as_interrupt
from tillbench.load.backlog import BacklogProbe
from tillbench.load.e2e import Accept, accept_rows, end_to_end, erp_commits
from tillbench.load.errors import LoadError
from tillbench.load.evidence import write_evidence
from tillbench.load.locust import locustfile, run_locust
from tillbench.load.saturate import Saturation, Slo, search
from tillbench.load.settle import JournalTail, Settled, wait_settled
from tillbench.load.stack import launch_stack, locust_env, start_connector
from tillbench.load.steps import Integration, integration_step, locust_step
from tillbench.load.verify import collect_state
from tillbench.runs import new_run_dir
from tillbench.verdicts import finish_run

__all__ = ["DRAIN_S", "SETTLE_S", "SHAPES", "TARGETS", "LoadOptions", "LoadRun", "run_load"]

SHAPES = ("day", "ramp", "spike", "soak", "saturate")
TARGETS = ("integration", "erp")
SETTLE_S = 120.0
"""Longest wait after the load for the connector to carry everything to the ERP."""
DRAIN_S = 30.0
"""Longest wait after each integration saturation step for the backlog to clear."""


_POSITIVE = {
    "duration_s": "--duration",
    "rate": "--rate",
    "user_rate": "--user-rate",
    "step_s": "--step",
    "settle_s": "--settle-timeout",
    "drain_s": "--drain-timeout",
}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LoadOptions:
    """How to load: the shape, its rates (req/s) and, for ``saturate``, the search."""

    shape: str = "day"
    duration_s: float = 60.0
    rate: float = 20.0
    """Peak rate (day), start rate (ramp, saturate), base rate (spike), rate (soak)."""
    user_rate: float = 2.0
    """Requests per second each simulated user paces itself at."""
    step_rate: float = 10.0
    step_s: float = 10.0
    spike_rate: float = 100.0
    workers: int = 0
    factor: float = 1.5
    refine: int = 1
    max_rate: float = 5000.0
    slo: Slo = dataclasses.field(default_factory=Slo)
    """``slo.e2e_p95_s`` None: the scenario's ``slo.sync_latency_p95`` (wall seconds)."""
    target: str = "integration"
    """``saturate`` through the ``integration`` (POS → connector → ERP) or the ``erp`` alone."""
    settle_s: float = SETTLE_S
    drain_s: float = DRAIN_S

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise LoadError(f"--shape must be one of {', '.join(SHAPES)}, got {self.shape!r}")
        if self.target not in TARGETS:
            raise LoadError(f"--target must be one of {', '.join(TARGETS)}, got {self.target!r}")
        for name, option in _POSITIVE.items():
            if not getattr(self, name) > 0:
                raise LoadError(f"{name} ({option}) must be > 0, got {getattr(self, name)!r}")

    @property
    def through_integration(self) -> bool:
        return self.shape != "saturate" or self.target == "integration"

    def env(self) -> dict[str, str]:
        return {
            "TILLBENCH_SHAPE": self.shape,
            "TILLBENCH_DURATION": str(self.duration_s),
            "TILLBENCH_RATE": str(self.rate),
            "TILLBENCH_USER_RATE": str(self.user_rate),
            "TILLBENCH_STEP_RATE": str(self.step_rate),
            "TILLBENCH_STEP_S": str(self.step_s),
            "TILLBENCH_SPIKE_RATE": str(self.spike_rate),
            "TILLBENCH_SPIKE_AT": str(self.duration_s / 3),
            "TILLBENCH_SPIKE_S": str(self.duration_s / 6),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class LoadRun:
    """A finished load run: where it wrote, what it measured, the verdict."""

    run_dir: Path
    locust_returncode: int
    e2e: dict[str, Any] | None
    saturation: Saturation | None
    report: Path | None
    settle: dict[str, Any] | None = None
    """How long the connector took to carry the rest to the ERP (`Settled.summary`)."""
    verdict: Any | None = None
    """``reports.Verdict`` of the run (None when not verified)."""
    verify_error: str | None = None

    @property
    def exit_code(self) -> int:
        """0 passed; 1 the verdict failed, it could not be reached, requests failed (not
        judged for ``saturate``, which breaks things on purpose) or no step was sustainable."""
        if self.saturation is not None:
            failed = self.saturation.best is None
        else:
            failed = self.locust_returncode != 0
        if self.verdict is not None and self.verdict.exit_code != 0:
            failed = True
        return 1 if failed or self.verify_error is not None else 0


def _scenario_file(scenario: Any, run_dir: Path) -> Path:
    import scenarios

    path = run_dir / "scenario.yaml"
    path.write_text(scenarios.dump(scenario))
    return path


def _resolved_slo(options: LoadOptions, scenario: Any) -> Slo:
    if options.slo.e2e_p95_s is not None:
        return options.slo
    p95 = scenario.slo.sync_latency_p95
    return dataclasses.replace(options.slo, e2e_p95_s=None if p95 is None else p95.total_seconds())


def _verify_slo(run_dir: Path, options: LoadOptions, slo: Slo) -> dict[str, Any]:
    """The scenario's ``slo`` section for `reports.verify`, latency from ``slo``; a
    saturation run breaks latency on purpose, so there only exactly-once and stock count."""
    section = dict((yaml.safe_load((run_dir / "scenario.yaml").read_text()) or {}).get("slo") or {})
    if options.shape == "saturate":
        section.update(sync_latency_p95=None, sync_latency_p99=None)
    elif slo.e2e_p95_s is not None:
        section["sync_latency_p95"] = f"{slo.e2e_p95_s}s"
    return section


def _verify(run_dir: Path, section: dict[str, Any]) -> tuple[Any | None, str | None]:
    import reports

    try:
        return reports.verify(run_dir, scenario_slo=section), None
    except reports.ReportsError as exc:
        (run_dir / "verify-skipped.txt").write_text(f"{type(exc).__name__}: {exc}\n")
        return None, str(exc)


def _accepts(dirs: list[Path]) -> list[Accept]:
    rows = [row for d in dirs for row in accept_rows(d)]
    return sorted(rows, key=lambda a: a.wall)


def _sales(dirs: list[Path]) -> dict[str, float]:
    out: dict[str, float] = {}
    for accept in _accepts(dirs):
        if accept.kind == "sale":
            out.setdefault(accept.txn_id, accept.wall)
    return out


@dataclasses.dataclass(slots=True)
class _Outcome:
    code: int = 0
    saturation: Saturation | None = None
    e2e: dict[str, Any] | None = None
    settle: Settled | None = None
    accept_dirs: list[Path] = dataclasses.field(default_factory=list)
    wall_origin: float = 0.0
    traffic_end: float = 0.0


def _integration(
    procs: ProcessSet,
    servers: MockServers,
    *,
    scenario: Any,
    options: LoadOptions,
    slo: Slo,
    run_dir: Path,
    env: dict[str, str],
    spec: ConnectorSpec,
    speed: float,
) -> _Outcome:
    """Load the registers at the POS with the connector carrying the sales to the ERP."""
    locust_dir = run_dir / "locust"
    file = locustfile("pos_registers")
    running = start_connector(procs, spec, servers, scenario=scenario, run_dir=run_dir, speed=speed)
    journal = JournalTail(servers.erp_base, admin_token=ADMIN_TOKEN)
    outcome = _Outcome(wall_origin=time.time())
    if options.shape == "saturate":
        step_dir = locust_dir / "steps"
        outcome.saturation = search(
            integration_step(
                file,
                host=servers.pos_url,
                out_dir=step_dir,
                settings=env,
                step_s=options.step_s,
                user_rate=options.user_rate,
                observe=Integration(
                    connector_url=running.url, journal=journal, drain_s=options.drain_s
                ),
                workers=options.workers,
            ),
            slo=slo,
            start_rate=options.rate,
            factor=options.factor,
            max_rate=options.max_rate,
            refine=options.refine,
        )
        outcome.accept_dirs = sorted(step_dir.glob("step-*-accepted"))
    else:
        accept_dir = locust_dir / "accepted"
        result = run_locust(
            file,
            host=servers.pos_url,
            out_dir=locust_dir,
            settings={**env, **options.env(), "TILLBENCH_ACCEPT_DIR": str(accept_dir)},
            workers=options.workers,
            timeout_s=options.duration_s * 3 + 120,
        )
        outcome.code = result.returncode
        outcome.accept_dirs = [accept_dir]
    outcome.traffic_end = time.time()
    probe = BacklogProbe(running.url)
    outcome.settle = wait_settled(
        journal,
        accepted=lambda: _sales(outcome.accept_dirs),
        probe=probe if probe.read() is not None else None,
        timeout_s=options.settle_s,
    )
    joined = end_to_end(_sales(outcome.accept_dirs), erp_commits(journal.rows))
    outcome.e2e = {**joined.summary(), "settle": outcome.settle.summary()}
    running.stop()
    return outcome


def run_load(
    scenario: Any,
    *,
    options: LoadOptions,
    out: Path,
    connector: ConnectorSpec | str | None = None,
    host: str | None = None,
    seed: int | None = None,
    speed: float | None = None,
) -> LoadRun:
    """Run ``scenario``'s load test into a new run directory under ``out`` (module
    docstring); ``speed`` compresses the connector's cadence (default the scenario's)."""
    slo = _resolved_slo(options, scenario)
    if host is not None and options.shape == "saturate" and options.target == "integration":
        raise LoadError(
            "--shape saturate --target integration needs the mocks and the connector that "
            "tillbench starts; against --host use --target erp (the ERP alone)"
        )
    spec = (
        connector
        if isinstance(connector, ConnectorSpec) or not options.through_integration or host
        else resolve_connector(connector, None)
    )
    run_dir = new_run_dir(out, scenario.name)
    locust_dir = run_dir / "locust"
    scenario_file = _scenario_file(scenario, run_dir)
    meta: dict[str, Any] = {
        "run_id": run_dir.name,
        "scenario": scenario.name,
        "load": {**dataclasses.asdict(options), "slo": dataclasses.asdict(slo), "host": host},
    }
    outcome = _Outcome()
    verdict: Any | None = None
    verify_error: str | None = None
    with terminate_as_interrupt(), ProcessSet() as procs:
        if host is not None:
            outcome = _external(scenario_file, options, slo, host=host, seed=seed, run_dir=run_dir)
        else:
            servers = launch_stack(procs, scenario=scenario, run_dir=run_dir, seed=seed)
            env = locust_env(servers, scenario_file, seed)
            if options.through_integration:
                assert isinstance(spec, ConnectorSpec)
                outcome = _integration(
                    procs,
                    servers,
                    scenario=scenario,
                    options=options,
                    slo=slo,
                    run_dir=run_dir,
                    env=env,
                    spec=spec,
                    speed=float(speed if speed is not None else scenario.speed),
                )
                meta["table_rows"] = collect_state(
                    run_dir,
                    servers=servers,
                    scenario=scenario,
                    seed=seed,
                    accepts=_accepts(outcome.accept_dirs),
                    wall_origin=outcome.wall_origin,
                )
                meta.update(
                    speed=1.0,
                    wall_origin=outcome.wall_origin,
                    traffic_end_t=outcome.traffic_end - outcome.wall_origin,
                    connector={**spec.describe(), "erp_credential": "connector"},
                    erp_credential="connector",
                    credentials={"connector": "connector", "harness": "harness"},
                    pos_kind="mock-square",
                    erp_kind="mock-business-central",
                )
            else:
                outcome = _erp_only(servers.erp_base, options, slo, env=env, run_dir=run_dir)
    if outcome.saturation is not None:
        meta["saturation"] = write_evidence(
            run_dir,
            outcome.saturation,
            slo=slo,
            step_dir=locust_dir / "steps",
            settings={"target": options.target, "step_s": options.step_s},
        )
    if outcome.e2e is not None:
        meta["e2e"] = outcome.e2e
        (locust_dir / "e2e.json").write_text(json.dumps(outcome.e2e, indent=2) + "\n")
    (run_dir / "run.json").write_text(json.dumps(meta, indent=2, default=str) + "\n")
    if host is None and options.through_integration:
        verdict, verify_error = _verify(run_dir, _verify_slo(run_dir, options, slo))
    finished = finish_run(run_dir, verify=False)
    return LoadRun(
        run_dir=run_dir,
        locust_returncode=outcome.code,
        e2e=outcome.e2e,
        saturation=outcome.saturation,
        report=finished.report,
        settle=None if outcome.settle is None else outcome.settle.summary(),
        verdict=verdict,
        verify_error=verify_error,
    )


def _erp_only(
    erp_base: str, options: LoadOptions, slo: Slo, *, env: dict[str, str], run_dir: Path
) -> _Outcome:
    """The saturation search against the ERP alone (invoices posted straight to it)."""
    saturation = search(
        locust_step(
            locustfile("erp_direct"),
            host=erp_base,
            out_dir=run_dir / "locust" / "steps",
            settings=env,
            request="erp:salesInvoices",
            user_classes=("ErpPosting",),
            step_s=options.step_s,
            user_rate=options.user_rate,
            workers=options.workers,
        ),
        slo=slo,
        start_rate=options.rate,
        factor=options.factor,
        max_rate=options.max_rate,
        refine=options.refine,
    )
    return _Outcome(saturation=saturation)


def _external(
    scenario_file: Path,
    options: LoadOptions,
    slo: Slo,
    *,
    host: str,
    seed: int | None,
    run_dir: Path,
) -> _Outcome:
    """Load a server tillbench did not start; URLs and tokens from the environment."""
    env = {"TILLBENCH_SCENARIO": str(scenario_file)}
    if seed is not None:
        env["TILLBENCH_SEED"] = str(seed)
    if options.shape == "saturate":
        return _erp_only(host, options, slo, env=env, run_dir=run_dir)
    accept_dir = run_dir / "locust" / "accepted"
    result = run_locust(
        locustfile("pos_registers"),
        host=host,
        out_dir=run_dir / "locust",
        settings={**env, **options.env(), "TILLBENCH_ACCEPT_DIR": str(accept_dir)},
        workers=options.workers,
        timeout_s=options.duration_s * 3 + 120,
    )
    return _Outcome(code=result.returncode, accept_dirs=[accept_dir])
