"""Verification of live runs: read a run directory, judge it, explain the verdict.

``reports`` reads only files — the run directory, whose tables and ``run.json`` the
contract in `domain.rundir` defines (docs/run-tables.md) — and imports only ``domain``,
never the simulator, mocks or connectors. `RunDir` is the one reader: verification, the
report, comparison and export open run directories through it. `verify` joins the
ground truth, the POS and ERP state, the stock samples and the journals into a `Verdict`
(DESIGN.md definitions: exactly-once, integration drift vs record inaccuracy, convergence,
sync latency, API cost, pricing discrepancies, duplicate profiles, card leaks), compares it
with the scenario's SLOs and writes ``summary.json`` and ``junit.xml``.

Example::

    from pathlib import Path
    import reports
    verdict = reports.verify(Path("runs/20261123T110000Z-demo"))
    raise SystemExit(verdict.exit_code)   # 0 pass, 1 an SLO failed
"""

from reports._errors import ReportsError, RunDirError
from reports._rundir import RunDir
from reports._verdict import (
    ApiCost,
    CardLeak,
    CardLeaks,
    ConnectorExitEvent,
    ConvergenceEvent,
    DriftExplanation,
    DriftPoint,
    DuplicateNumbers,
    DuplicateProfiles,
    ExactlyOnce,
    Failure,
    OtherReference,
    PairGap,
    Percentiles,
    PricingDiscrepancies,
    SharedNumber,
    SloResult,
    StockGap,
    StoreMismatch,
    SyncLatency,
    Verdict,
)
from reports._verify import judge, verify

# Charts, the HTML report, comparison and export load matplotlib and jinja2: imported on
# first use, so `import reports` for verification stays light.
_LAZY = {
    "build_comparison": "reports.compare",
    "build_report": "reports.html",
    "build_sweep_report": "reports.sweep",
    "export_run": "reports.export",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reports' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "ApiCost",
    "CardLeak",
    "CardLeaks",
    "ConnectorExitEvent",
    "ConvergenceEvent",
    "DriftExplanation",
    "DriftPoint",
    "DuplicateNumbers",
    "DuplicateProfiles",
    "ExactlyOnce",
    "Failure",
    "OtherReference",
    "PairGap",
    "Percentiles",
    "PricingDiscrepancies",
    "ReportsError",
    "RunDir",
    "RunDirError",
    "SharedNumber",
    "SloResult",
    "StockGap",
    "StoreMismatch",
    "SyncLatency",
    "Verdict",
    "build_comparison",
    "build_report",
    "build_sweep_report",
    "export_run",
    "judge",
    "verify",
]
