"""Exceptions of the integration capacity model.

Hierarchy::

    simulator.SimulatorError
    └── IntegrationError      base of what the capacity model raises on purpose
        └── MissingTruth      a run directory without the truth tables the model reads
"""

from __future__ import annotations

from simulator.errors import SimulatorError

__all__ = ["IntegrationError", "MissingTruth"]


class IntegrationError(SimulatorError):
    """Base of the capacity model's exceptions."""


class MissingTruth(IntegrationError):
    """The run directory lacks a truth table; the message says how to produce it."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"{path}: missing; simulate the traffic first "
            "(tillbench simulate SCENARIO --traffic-only writes truth/*.parquet)"
        )
        self.path = path
