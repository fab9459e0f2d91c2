"""The integration capacity model: how a POS→ERP connector copes, without servers.

Drives the transaction stream of `simulator.simulate_traffic` through a model of the
connector (realtime | batch | hybrid, retries with backoff and jitter, dead letters) and of
the ERP (concurrency cap, bounded queue, per-credential request window, load-dependent
lognormal service, ``$batch`` cost = fixed + per operation, faults from the timeline), and
writes the same run-directory tables as a live run plus ``capacity.json``.

Example::

    import scenarios
    from simulator import simulate_traffic
    from simulator.integration import simulate_integration

    scenario = scenarios.load("batch-vs-realtime")
    simulate_traffic(scenario, run_dir)
    figures = simulate_integration(scenario, run_dir)

`run_fast` (exact heap-based event loop) and `run_simpy` (SimPy processes) run the same
model on a `DocStream` and agree float for float; `fit_latency` calibrates the ERP's
service time from a live run's journal.
"""

from simulator.integration.calibrate import (
    BatchFit,
    LatencyFit,
    calibrate_run,
    fit_batch,
    fit_latency,
)
from simulator.integration.config import ModelConfig, ModelOptions
from simulator.integration.errors import IntegrationError, MissingTruth
from simulator.integration.fast import run_fast
from simulator.integration.faults import FaultWindow, FaultWindows
from simulator.integration.outcome import Outcome
from simulator.integration.run import save_moves, simulate_integration
from simulator.integration.simpy_model import run_simpy
from simulator.integration.stream import DocStream, load_stream, poisson_stream

__all__ = [
    "BatchFit",
    "DocStream",
    "FaultWindow",
    "FaultWindows",
    "IntegrationError",
    "LatencyFit",
    "MissingTruth",
    "ModelConfig",
    "ModelOptions",
    "Outcome",
    "calibrate_run",
    "fit_batch",
    "fit_latency",
    "load_stream",
    "poisson_stream",
    "run_fast",
    "run_simpy",
    "save_moves",
    "simulate_integration",
]
