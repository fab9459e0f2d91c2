"""Parse `--set key=value` options, and load a scenario the way every command does.

`parse_overrides` reads each value as `scenarios.parse_value` reads YAML (``12:00`` stays
text, the loader's alias and nesting budgets apply); `load_scenario` loads a scenario,
applies the overrides and the seed, and checks with `scenarios.check_work` that the run
fits this machine before anything is generated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import scenarios
from scenarios import Scenario

Run = Literal["traffic", "simulate", "live"]
"""What the scenario is loaded for (`scenarios.check_work`): ``traffic`` the ground truth
alone, ``simulate`` with the capacity model, ``live`` a run against servers."""


class OverrideError(ValueError):
    """A `--set` option that is not `dotted.key=value`, or whose value cannot be read."""


def parse_overrides(items: Iterable[str]) -> dict[str, object]:
    """Turn `["erp.concurrency=3", "integration.interval=5m"]` into a mapping.

    Values are read as YAML scalars, so `3` is an int, `0.5` a float, `true` a bool and
    `5m` or `12:00` stay strings for the scenario schema to parse. A value over the
    loader's budgets is an `OverrideError` naming the key.
    """
    result: dict[str, object] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise OverrideError(f"--set {item!r}: expected KEY=VALUE, e.g. erp.concurrency=3")
        try:
            result[key] = scenarios.parse_value(raw, where=f"--set {key}")
        except scenarios.ScenarioError as exc:
            raise OverrideError(exc.lines[0]) from None
    return result


def load_scenario(
    source: str,
    overrides: Mapping[str, object] | None = None,
    *,
    seed: int | None = None,
    run: Run | None = "simulate",
) -> Scenario:
    """``source`` loaded, ``overrides`` and ``seed`` applied, and (unless ``run`` is None)
    checked to fit this machine for that kind of run (`scenarios.check_work`).

    Raises `scenarios.ScenarioError`: the scenario's problems, or one line saying it is
    too large here and what to change.
    """
    scenario = scenarios.load(source)
    changes = dict(overrides or {})
    if seed is not None:
        changes["seed"] = seed
    if changes:
        scenario = scenarios.override(scenario, changes)
    if run is not None:
        scenarios.check_work(scenario, run=run, source=source)
    return scenario


__all__ = ["OverrideError", "Run", "load_scenario", "parse_overrides"]
