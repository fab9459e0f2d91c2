"""The three ways a load runs: through the integration (mocks and connector started by
tillbench), against the ERP alone, and against external endpoints (``--host``).

Each returns an `Outcome`: Locust's exit code, the saturation search if any, the
end-to-end latency and the settle wait, where the acceptances are and when the load ran.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tillbench.live.connector import ConnectorSpec
from tillbench.live.mocks import ADMIN_TOKEN, MockServers
from tillbench.live.processes import ProcessSet
from tillbench.load.backlog import BacklogProbe
from tillbench.load.e2e import Accept, accept_rows, end_to_end
from tillbench.load.invoices import InvoiceTail
from tillbench.load.locust import locustfile, run_locust
from tillbench.load.options import LoadOptions
from tillbench.load.saturate import Saturation, Slo, Step, search
from tillbench.load.settle import JournalTail, Settled, wait_settled
from tillbench.load.stack import patience, start_connector
from tillbench.load.steps import Integration, integration_step, locust_step

__all__ = ["Outcome", "accepts", "erp_only", "external", "integration"]


def accepts(dirs: list[Path]) -> list[Accept]:
    """Every acceptance noted in ``dirs``, in wall order."""
    rows = [row for d in dirs for row in accept_rows(d)]
    return sorted(rows, key=lambda a: a.wall)


def _sales(dirs: list[Path]) -> dict[str, float]:
    out: dict[str, float] = {}
    for accept in accepts(dirs):
        if accept.kind == "sale":
            out.setdefault(accept.txn_id, accept.wall)
    return out


@dataclasses.dataclass(slots=True)
class Outcome:
    """What a flow measured (module docstring); times are epoch seconds."""

    code: int = 0
    saturation: Saturation | None = None
    e2e: dict[str, Any] | None = None
    settle: Settled | None = None
    accept_dirs: list[Path] = dataclasses.field(default_factory=list)
    wall_origin: float = 0.0
    traffic_end: float = 0.0


def integration(
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
) -> Outcome:
    """Load the registers at the POS with the connector carrying the sales to the ERP."""
    locust_dir = run_dir / "locust"
    file = locustfile("pos_registers")
    running = start_connector(procs, spec, servers, scenario=scenario, run_dir=run_dir, speed=speed)
    journal = JournalTail(servers.erp_base, admin_token=ADMIN_TOKEN)
    invoices = InvoiceTail(servers.erp_company_url, token=servers.credentials.harness)
    wait = patience(spec, scenario, speed=speed)
    outcome = Outcome(wall_origin=time.time())
    if options.shape == "saturate":
        step_dir = locust_dir / "steps"
        outcome.saturation = _search(
            integration_step(
                file,
                host=servers.pos_url,
                out_dir=step_dir,
                settings=env,
                step_s=options.step_s,
                user_rate=options.user_rate,
                observe=Integration(
                    connector_url=running.url,
                    journal=journal,
                    invoices=invoices,
                    drain_s=options.drain_s,
                    patience_s=wait,
                ),
                workers=options.workers,
            ),
            options,
            slo,
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
    sales = _sales(outcome.accept_dirs)
    outcome.settle = wait_settled(
        journal,
        invoices=invoices,
        accepted=lambda: sales,
        probe=probe if probe.read() is not None else None,
        timeout_s=options.settle_s,
        patience_s=wait,
    )
    joined = end_to_end(sales, invoices.commits)
    outcome.e2e = {**joined.summary(), "settle": outcome.settle.summary()}
    running.stop()
    return outcome


def _search(run_step: Callable[[float], Step], options: LoadOptions, slo: Slo) -> Saturation:
    """`search` stepping the rate as ``options`` says."""
    return search(
        run_step,
        slo=slo,
        start_rate=options.rate,
        factor=options.factor,
        max_rate=options.max_rate,
        refine=options.refine,
    )


def erp_only(
    erp_base: str, options: LoadOptions, slo: Slo, *, env: dict[str, str], run_dir: Path
) -> Outcome:
    """The saturation search against the ERP alone (invoices posted straight to it)."""
    saturation = _search(
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
        options,
        slo,
    )
    return Outcome(saturation=saturation)


def external(
    scenario_file: Path,
    options: LoadOptions,
    slo: Slo,
    *,
    host: str,
    seed: int | None,
    run_dir: Path,
) -> Outcome:
    """Load a server tillbench did not start; URLs and tokens from the environment."""
    env = {"TILLBENCH_SCENARIO": str(scenario_file)}
    if seed is not None:
        env["TILLBENCH_SEED"] = str(seed)
    if options.shape == "saturate":
        return erp_only(host, options, slo, env=env, run_dir=run_dir)
    accept_dir = run_dir / "locust" / "accepted"
    result = run_locust(
        locustfile("pos_registers"),
        host=host,
        out_dir=run_dir / "locust",
        settings={**env, **options.env(), "TILLBENCH_ACCEPT_DIR": str(accept_dir)},
        workers=options.workers,
        timeout_s=options.duration_s * 3 + 120,
    )
    return Outcome(code=result.returncode, accept_dirs=[accept_dir])
