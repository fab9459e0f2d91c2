"""The public surface of `simulator.integration`."""

from __future__ import annotations

import simulator.integration as integration
from simulator import SimulatorError


def test_exports() -> None:
    assert sorted(integration.__all__) == [
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
    for name in integration.__all__:
        assert getattr(integration, name) is not None


def test_errors_belong_to_the_simulators_hierarchy() -> None:
    assert issubclass(integration.IntegrationError, SimulatorError)
    assert issubclass(integration.MissingTruth, integration.IntegrationError)
