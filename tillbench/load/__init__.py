"""`tillbench load`: Locust load tests of an integration, orchestrated (see ``loadtests/``).

Locust runs as a subprocess; nothing here imports it (its gevent patches would leak into
the harness).
"""

from tillbench.load.errors import LoadError
from tillbench.load.run import SHAPES, LoadOptions, LoadRun, run_load
from tillbench.load.saturate import Saturation, Slo, Step, search

__all__ = [
    "SHAPES",
    "LoadError",
    "LoadOptions",
    "LoadRun",
    "Saturation",
    "Slo",
    "Step",
    "run_load",
    "search",
]
