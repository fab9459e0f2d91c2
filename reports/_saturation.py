"""The saturation search's evidence, ``saturation.json`` of a load run, read for the report.

``tillbench load --shape saturate`` writes the sustainable rate, whether an SLO broke, the
objectives and one entry per step in the order the steps ran (the rate rises, then is
bisected, so offered rates are not monotonic). JSON has no infinity: ``"inf"`` is read as
``math.inf`` (a sale never committed makes a step's end-to-end p95 infinite); null is a
figure the step did not measure (the ERP alone has no end-to-end latency or backlog).
A verdict is ``ok``, ``unmeasured`` or why the SLO broke.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reports._errors import RunDirError

__all__ = ["FILE", "PASSING", "Saturation", "SaturationStep", "read_saturation"]

FILE = "saturation.json"
PASSING = frozenset({"ok", "unmeasured"})
"""Verdicts that do not break a step."""

_FIX = "re-run `tillbench load --shape saturate` or delete the file"


@dataclass(frozen=True, slots=True)
class SaturationStep:
    """One step: a constant offered rate held for the step, what came of it, the verdicts."""

    number: int
    """1-based, in the order run."""
    offered_rps: float
    achieved_rps: float
    committed_rps: float | None = None
    e2e_p95_s: float | None = None
    p95_ms: float | None = None
    error_rate: float | None = None
    backlog_slope: float | None = None
    """Connector backlog growth, items per second."""
    backlog_stderr: float | None = None
    """Standard error of ``backlog_slope`` (absent from older files)."""
    drain_s: float | None = None
    breach: str | None = None
    verdicts: Mapping[str, str] = field(default_factory=dict)

    @property
    def broke(self) -> bool:
        return self.breach is not None or any(v not in PASSING for v in self.verdicts.values())


@dataclass(frozen=True, slots=True)
class Saturation:
    """The search: its steps, the sustainable rate and the objectives the steps were judged by."""

    sustainable_rps: float
    broke: bool
    """False: no step broke up to the highest rate tried, so capacity is higher."""
    steps: tuple[SaturationStep, ...]
    e2e_objective_s: float | None = None
    request_objective_ms: float | None = None
    backlog_growth: float | None = None
    """Allowed backlog growth as a share of the offered rate."""
    backlog_floor: float | None = None
    """Items a step's backlog may grow by whatever its slope (sampling noise)."""
    backlog_z: float | None = None
    """Standard errors by which the slope must exceed the limit to break it."""
    target: str | None = None

    @property
    def slo_names(self) -> list[str]:
        """Every SLO judged, in the order the steps list them."""
        names: dict[str, None] = {}
        for step in self.steps:
            names.update(dict.fromkeys(step.verdicts))
        return list(names)

    def measured(self, figure: str) -> bool:
        """Whether any step measured ``figure`` (an attribute of `SaturationStep`)."""
        return any(getattr(step, figure) is not None for step in self.steps)

    @property
    def best(self) -> SaturationStep | None:
        """The step that holds the sustainable rate: the passing one achieving the most."""
        passing = [s for s in self.steps if not s.broke]
        return max(passing, key=lambda s: s.achieved_rps, default=None)


def _number(value: Any, where: str) -> float | None:
    """A figure: a number, ``"inf"`` or null (not measured)."""
    if value is None:
        return None
    if value == "inf":
        return math.inf
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RunDirError(
            f'{FILE}: {where} is {value!r}; expected a number, "inf" or null — {_FIX}'
        )
    return float(value)


def _rate(value: Any, where: str) -> float:
    """A rate every step has (offered, achieved)."""
    number = _number(value, where)
    if number is None:
        raise RunDirError(f"{FILE}: {where} is missing or null; every step has it — {_FIX}")
    return number


def _step(number: int, raw: Any) -> SaturationStep:
    where = f"steps[{number - 1}]"
    if not isinstance(raw, Mapping):
        raise RunDirError(f"{FILE}: {where} is {raw!r}; expected an object — {_FIX}")
    figures = {
        key: _number(raw.get(key), f"{where}.{key}")
        for key in (
            "committed_rps",
            "e2e_p95_s",
            "p95_ms",
            "error_rate",
            "backlog_slope",
            "backlog_stderr",
            "drain_s",
        )
    }
    verdicts = raw.get("verdicts") or {}
    if not isinstance(verdicts, Mapping) or not all(isinstance(v, str) for v in verdicts.values()):
        raise RunDirError(
            f"{FILE}: {where}.verdicts is {verdicts!r}; expected an object of SLO name → "
            f"'ok', 'unmeasured' or why it broke — {_FIX}"
        )
    breach = raw.get("breach")
    return SaturationStep(
        number=number,
        offered_rps=_rate(raw.get("offered_rps"), f"{where}.offered_rps"),
        achieved_rps=_rate(raw.get("achieved_rps"), f"{where}.achieved_rps"),
        breach=None if breach is None else str(breach),
        verdicts={str(k): v for k, v in verdicts.items()},
        **figures,
    )


def _section(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key)
    return value if isinstance(value, Mapping) else {}


def read_saturation(run_dir: Path) -> Saturation | None:
    """The run's saturation search, or None when ``saturation.json`` is absent.

    Raises `RunDirError` naming the field when the file is not what the search writes.
    """
    file = run_dir / FILE
    if not file.is_file():
        return None
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RunDirError(f"{FILE} is not JSON ({exc}) — {_FIX}") from exc
    if not isinstance(raw, Mapping) or not isinstance(raw.get("steps"), list):
        raise RunDirError(f"{FILE} has no 'steps' list — {_FIX}")
    slo = _section(raw, "slo")
    settings = _section(raw, "settings")
    steps = tuple(_step(n, s) for n, s in enumerate(raw["steps"], start=1))
    sustainable = _number(raw.get("sustainable_rps"), "sustainable_rps")
    return Saturation(
        sustainable_rps=0.0 if sustainable is None else sustainable,
        broke=bool(raw.get("broke", any(s.broke for s in steps))),
        steps=steps,
        e2e_objective_s=_number(slo.get("e2e_p95_s"), "slo.e2e_p95_s"),
        request_objective_ms=_number(slo.get("p95_ms"), "slo.p95_ms"),
        backlog_growth=_number(slo.get("backlog_growth"), "slo.backlog_growth"),
        backlog_floor=_number(slo.get("backlog_floor"), "slo.backlog_floor"),
        backlog_z=_number(slo.get("backlog_z"), "slo.backlog_z"),
        target=None if settings.get("target") is None else str(settings["target"]),
    )
