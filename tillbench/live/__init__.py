"""Live runs: a scenario replayed through a connector between a POS and an ERP, as phases.

Example::

    import scenarios
    from tillbench.live import resolve_connector, run_live

    run = run_live(scenarios.load("demo"), connector=resolve_connector("realtime", None),
                   out=Path("runs"), pos="square", erp="bc")
    print(run.run_dir, run.exit_code)

`run` (`run_live`) is the list of phases: prepare, start the targets, simulate the truth,
seed, start the connector, drive/sample/quiesce, collect, record, verify. The POS and the
ERP are *targets* (`targets`: the `PosTarget` and `ErpTarget` protocols and the registry
behind ``--pos`` / ``--erp``; `targets.mock` for any dialect of `mocks`, with ``square``
and ``bc``; ``tryton`` for a real Tryton, over `tryton`). The other modules, one idea each:
`ports`, `processes` (child processes that never outlive the run), `mocks` (mock processes
and their admin doors), `seed` (what the mocks are seeded with), `connector` and
`connector_env` (the contract's environment, start or attach), `payloads`, `driver`
(paced replay without coordinated omission), `faults` (who applies each fault),
`erp_events`, `sampler`, `quiesce`, `traffic` (drive, sample and quiesce on one event
loop), `status` and `render` (progress). The clock is `domain.clock.RunClock` and the
tables are written through `domain.rundir`.
"""

from tillbench.live.connector import REFERENCE_CONNECTORS, ConnectorSpec, resolve_connector
from tillbench.live.driver import Driver, SentRecord, TimedAction, Txn
from tillbench.live.errors import ConnectorNotHealthy, HarnessError, LiveError, UsageError
from tillbench.live.run import LiveRun, run_live
from tillbench.live.status import LiveStatus
from tillbench.live.targets import ErpTarget, PosTarget, erp_target, pos_target

__all__ = [
    "REFERENCE_CONNECTORS",
    "ConnectorNotHealthy",
    "ConnectorSpec",
    "Driver",
    "ErpTarget",
    "HarnessError",
    "LiveError",
    "LiveRun",
    "LiveStatus",
    "PosTarget",
    "SentRecord",
    "TimedAction",
    "Txn",
    "UsageError",
    "erp_target",
    "pos_target",
    "resolve_connector",
    "run_live",
]
