"""Write a resolved scenario back to YAML that `scenarios.load` reads to an equal scenario."""

from __future__ import annotations

from ._scenario import Scenario
from ._yaml import write_yaml

__all__ = ["dump"]


def dump(scenario: Scenario) -> str:
    """The fully resolved ``scenario`` as YAML, durations and times in human units (``15m``).

    Every default is written out, so the file records exactly what a run used.
    """
    return write_yaml(scenario.model_dump(mode="json", by_alias=True))
