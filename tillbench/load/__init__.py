"""`tillbench load`: Locust load tests of an integration, orchestrated (see ``loadtests/``).

Locust runs as a subprocess; nothing here imports it (its gevent patches would leak into
the harness). Modules: `locust` (headless runs), `stats` (its CSVs), `stack` (mocks,
seeding, connector), `saturate` (the search and its SLOs), `steps` (one step, ERP alone
or through the integration), `backlog` (the connector's backlog growth), `settle` (wait
until the connector is done), `e2e` (POS accept → ERP commit), `truth` and `verify` (a
load run's truth and end state for `reports.verify`), `evidence` (saturation files),
`run` (`run_load`).
"""

from tillbench.load.errors import LoadError
from tillbench.load.run import SHAPES, TARGETS, LoadOptions, LoadRun, check_targets, run_load
from tillbench.load.saturate import Saturation, Slo, Step, search

__all__ = [
    "SHAPES",
    "TARGETS",
    "LoadError",
    "LoadOptions",
    "LoadRun",
    "Saturation",
    "Slo",
    "Step",
    "check_targets",
    "run_load",
    "search",
]
