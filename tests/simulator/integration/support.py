"""Helpers for the integration model tests: configs without noise, small scenarios."""

from __future__ import annotations

from typing import Any

import scenarios
from simulator.integration import ModelConfig, ModelOptions

QUIET: dict[str, object] = {
    "erp.latency.load_factor": 0.0,
    "erp.queue": 1_000_000,
    "erp.window.requests": 1_000_000_000,
    "erp.posting": "on_create",
}
"""An ERP without load stretch, queue limit or request window, one call per document."""


def config(
    *,
    options: ModelOptions | None = None,
    faults: list[dict[str, Any]] | None = None,
    **overrides: object,
) -> ModelConfig:
    """A model config from the grocery chain with dotted overrides."""
    values: dict[str, object] = dict(overrides)
    if faults is not None:
        values["faults"] = faults
    scenario = scenarios.load("grocery-chain").with_overrides(**values)
    return ModelConfig.from_scenario(scenario, options or ModelOptions())


def tiny_scenario(**overrides: object) -> Any:
    """Two small stores for an hour with an ERP outage: a run in well under a second."""
    base: dict[str, object] = {
        "chain.stores": 2,
        "catalog.skus": 200,
        "duration": "1h",
        "faults": [{"at": "11:20", "for": "5m", "target": "erp", "kind": "outage"}],
    }
    return scenarios.load("demo").with_overrides(**{**base, **overrides})
