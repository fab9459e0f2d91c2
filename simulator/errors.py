"""Exceptions of the simulator package.

Hierarchy::

    SimulatorError            base of everything the simulator raises on purpose
    └── ScenarioUnsupported   a scenario value the simulator cannot model (names field+value)
"""

from __future__ import annotations

__all__ = ["ScenarioUnsupported", "SimulatorError"]


class SimulatorError(Exception):
    """Base of the simulator's exceptions."""


class ScenarioUnsupported(SimulatorError):
    """A scenario value the simulator cannot model; the message names field, value and fix."""

    def __init__(self, field: str, value: object, hint: str) -> None:
        super().__init__(f"{field}: {hint}, got {value!r}")
        self.field = field
        self.value = value
