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

The Locust files speak Square (the registers) and Business Central (the ERP alone, the
invoice tail), so a load runs with ``pos="square"`` and ``erp="bc"`` only; other targets
are refused with a `LoadError`.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import yaml

from domain.rundir import RunMeta
from tillbench.live.connector import ConnectorSpec, resolve_connector
from tillbench.live.processes import ProcessSet, terminate_as_interrupt
from tillbench.live.targets import DEFAULT_ERP, DEFAULT_POS, erp_target, pos_target
from tillbench.load.errors import LoadError
from tillbench.load.evidence import write_evidence
from tillbench.load.flows import Outcome, accepts, erp_only, external, integration
from tillbench.load.options import DRAIN_S, SETTLE_S, SHAPES, TARGETS, LoadOptions
from tillbench.load.saturate import Saturation, Slo
from tillbench.load.stack import launch_stack, locust_env
from tillbench.load.verify import collect_state
from tillbench.runs import new_run_dir
from tillbench.verdicts import finish_run

__all__ = [
    "DRAIN_S",
    "SETTLE_S",
    "SHAPES",
    "TARGETS",
    "LoadOptions",
    "LoadRun",
    "check_targets",
    "run_load",
]


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


def check_targets(pos: str, erp: str) -> None:
    """`UsageError` for an unknown ``--pos``/``--erp``, `LoadError` for one a load does not
    drive (its Locust files speak Square and Business Central)."""
    pos_name, erp_name = pos_target(pos).name, erp_target(erp).name
    for option, name, wanted, api in (
        ("--pos", pos_name, DEFAULT_POS, "Square's API"),
        ("--erp", erp_name, DEFAULT_ERP, "the mock Business Central's API"),
    ):
        if name != wanted:
            raise LoadError(
                f"{option} {name} does not apply to tillbench load: its Locust files speak "
                f"{api} ({option} {wanted}); `tillbench run --pos {pos_name} --erp "
                f"{erp_name}` runs that pair live"
            )


def run_load(
    scenario: Any,
    *,
    options: LoadOptions,
    out: Path,
    connector: ConnectorSpec | str | None = None,
    host: str | None = None,
    seed: int | None = None,
    speed: float | None = None,
    pos: str = DEFAULT_POS,
    erp: str = DEFAULT_ERP,
) -> LoadRun:
    """Run ``scenario``'s load test into a new run directory under ``out`` (module
    docstring); ``speed`` compresses the connector's cadence (default the scenario's)."""
    check_targets(pos, erp)
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
    outcome = Outcome()
    verdict: Any | None = None
    verify_error: str | None = None
    with terminate_as_interrupt(), ProcessSet() as procs:
        if host is not None:
            outcome = external(scenario_file, options, slo, host=host, seed=seed, run_dir=run_dir)
        else:
            servers = launch_stack(procs, scenario=scenario, run_dir=run_dir, seed=seed)
            env = locust_env(servers, scenario_file, seed)
            if options.through_integration:
                assert isinstance(spec, ConnectorSpec)
                outcome = integration(
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
                    accepts=accepts(outcome.accept_dirs),
                    wall_origin=outcome.wall_origin,
                )
                meta.update(
                    speed=1.0,
                    wall_origin=outcome.wall_origin,
                    traffic_end_t=outcome.traffic_end - outcome.wall_origin,
                    connector={**spec.describe(), "erp_credential": "connector"},
                    erp_credential="connector",
                    credentials={"connector": "connector", "harness": "harness"},
                    pos_kind=DEFAULT_POS,
                    erp_kind=DEFAULT_ERP,
                )
            else:
                outcome = erp_only(servers.erp_base, options, slo, env=env, run_dir=run_dir)
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
    RunMeta.from_dict(meta).write(run_dir)
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
