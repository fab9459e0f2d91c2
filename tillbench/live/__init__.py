"""Live runs: mocks, connector, traffic driver, observers and collection, orchestrated.

Example::

    import scenarios
    from tillbench.live import resolve_connector, run_live

    run = run_live(scenarios.load("demo"), connector=resolve_connector("realtime", None),
                   out=Path("runs"))
    print(run.run_dir, run.exit_code)

Modules, one idea each: `ports`, `processes` (child processes that never outlive the
run), `mocks` and `seed` (mock POS/ERP), `subscription` (the webhook subscription),
`connector` (the contract's environment, start or attach), `payloads`, `driver` (paced
replay without coordinated omission), `faults` (who applies each fault), `erp_events`,
`sampler`, `quiesce`, `traffic` (the traffic phase on one event loop), `collect`,
`status` and `render` (progress), `tryton` (a real Tryton from
`erps.tryton` instead of the mock ERP: ``run_live(..., erp="tryton")``), and `run` (`run_live`).
"""

from domain.rundir import LIVE_TABLES
from tillbench.live.clock import RunClock
from tillbench.live.connector import REFERENCE_CONNECTORS, ConnectorSpec, resolve_connector
from tillbench.live.driver import Driver, SentRecord, TimedAction, Txn
from tillbench.live.errors import ConnectorNotHealthy, HarnessError, LiveError, UsageError
from tillbench.live.run import LiveRun, run_live
from tillbench.live.status import LiveStatus

__all__ = [
    "LIVE_TABLES",
    "REFERENCE_CONNECTORS",
    "ConnectorNotHealthy",
    "ConnectorSpec",
    "Driver",
    "HarnessError",
    "LiveError",
    "LiveRun",
    "LiveStatus",
    "RunClock",
    "SentRecord",
    "TimedAction",
    "Txn",
    "UsageError",
    "resolve_connector",
    "run_live",
]
