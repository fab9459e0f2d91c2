"""Decisions from the capacity model: every point judged, the binding constraint named, the
cheapest point that meets every objective chosen.

A sweep answers a question only when it says which point to take. `objectives` turns the
scenario's ``slo`` section (or the objectives asked for with ``--slo``) into limits on the
figures of a sweep row; `judge` checks one row against them; `binding` names what limits a
point (request window, ERP queue, concurrency slots, retries after faults, the batch
interval) from the model's own utilisation figures; `decide` picks the cheapest point that
meets every objective — the cost named after the swept keys: the smallest ERP capacity
when ``erp.*`` is swept, the longest interval when only the interval is, otherwise the
fewest ERP calls per day — or says that none does and which objective fails first.

Example::

    objs = objectives(scenario, asked={"drift": "1%"})
    decision = decide(rows, ["integration.interval"], objs)
    print(decision.answer)   # "answer: integration.interval=2m — longest interval, 2/4 …"
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any

import scenarios

if TYPE_CHECKING:
    from scenarios import Scenario

__all__ = [
    "OBJECTIVE_NAMES",
    "Check",
    "Decision",
    "DecisionError",
    "Objective",
    "binding",
    "cost_of",
    "decide",
    "judge",
    "objectives",
    "parse_objectives",
    "seconds",
]

OBJECTIVE_NAMES = ("sync_latency_p95", "sync_latency_p99", "converge_within", "missing", "drift")
"""What ``--slo NAME=LIMIT`` may name (``drift``: peak drift, % of store × SKU stock pairs)."""

_SHORT = {"p95": "sync_latency_p95", "p99": "sync_latency_p99", "converge": "converge_within"}
_FIGURE = {
    "sync_latency_p95": ("sync_p95_s", "s"),
    "sync_latency_p99": ("sync_p99_s", "s"),
    "converge_within": ("converged_s", "s"),
    "missing": ("uncommitted", "documents"),
    "drift": ("peak_drift_pct", "%"),
}


class DecisionError(ValueError):
    """An ``--slo`` option that names no objective or gives a limit that is not one."""


@dataclasses.dataclass(frozen=True, slots=True)
class Objective:
    """``figure`` of a sweep row must be ≤ ``limit``."""

    name: str
    figure: str
    limit: float
    unit: str

    def show(self, value: float | None) -> str:
        """A value of this objective's figure as a person reads it."""
        return _show(value, self.unit)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True, slots=True)
class Check:
    """One objective at one point."""

    name: str
    value: float | None
    limit: float
    passed: bool
    text: str
    """e.g. ``p95 5.3 s ≤ 1 min``"""


def _show(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return seconds(value)
    if unit == "%":
        return f"{value:.2f}%"
    return f"{value:,.0f}"


def seconds(value: float | None) -> str:
    """``5.3 s``, ``14.4 min``, ``2.1 h``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if value >= 7200:
        return f"{value / 3600:,.1f} h"
    if value >= 120:
        return f"{value / 60:,.1f} min"
    return f"{value:,.1f} s"


def _limit(name: str, raw: str) -> float:
    text = raw.strip()
    if name == "drift":
        number = text[:-1] if text.endswith("%") else text
        try:
            value = float(number)
        except ValueError:
            raise DecisionError(f"--slo drift: expected a share like 1%, got {raw!r}") from None
        if not 0 <= value <= 100:
            raise DecisionError(f"--slo drift: must be between 0% and 100%, got {raw!r}")
        return value
    if name == "missing":
        try:
            count = int(text)
        except ValueError:
            raise DecisionError(f"--slo missing: expected a whole number, got {raw!r}") from None
        if count < 0:
            raise DecisionError(f"--slo missing: must be ≥ 0, got {raw!r}")
        return float(count)
    try:
        return scenarios.parse_duration(text).total_seconds()
    except (ValueError, TypeError):
        raise DecisionError(f"--slo {name}: expected a duration like 5m, got {raw!r}") from None


def parse_objectives(items: list[str]) -> dict[str, str]:
    """``["drift=1%", "p95=5m"]`` → ``{"drift": "1%", "sync_latency_p95": "5m"}``."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = _SHORT.get(name.strip(), name.strip())
        if not sep or not raw.strip():
            raise DecisionError(f"--slo {item!r}: expected NAME=LIMIT, e.g. drift=1% or p95=5m")
        if name not in _FIGURE:
            raise DecisionError(
                f"--slo {item!r}: unknown objective {name!r}; one of "
                + ", ".join(OBJECTIVE_NAMES)
                + " (p95, p99, converge for short)"
            )
        _limit(name, raw)
        out[name] = raw.strip()
    return out


def objectives(scenario: Scenario, *, asked: dict[str, str] | None = None) -> list[Objective]:
    """The objectives a point must meet: ``asked`` (from ``--slo``) alone when given, else
    the scenario's ``slo`` section (latency percentiles, convergence, missing documents)."""
    if asked:
        names = {_SHORT.get(n, n): v for n, v in asked.items()}
        return [Objective(n, _FIGURE[n][0], _limit(n, v), _FIGURE[n][1]) for n, v in names.items()]
    slo = scenario.slo
    out: list[Objective] = []
    if slo.sync_latency_p95 is not None:
        out.append(
            Objective("sync_latency_p95", "sync_p95_s", slo.sync_latency_p95.total_seconds(), "s")
        )
    if slo.sync_latency_p99 is not None:
        out.append(
            Objective("sync_latency_p99", "sync_p99_s", slo.sync_latency_p99.total_seconds(), "s")
        )
    out.append(
        Objective("converge_within", "converged_s", slo.converge_within.total_seconds(), "s")
    )
    out.append(Objective("missing", "uncommitted", float(slo.missing), "documents"))
    return out


_LABEL = {
    "sync_latency_p95": "p95",
    "sync_latency_p99": "p99",
    "converge_within": "converge",
    "missing": "missing",
    "drift": "drift",
}


def judge(row: dict[str, Any], objs: list[Objective]) -> list[Check]:
    """Each objective at this point (a missing figure fails)."""
    out = []
    for o in objs:
        value = row.get(o.figure)
        passed = value is not None and float(value) <= o.limit + 1e-9
        sign = "≤" if passed else ">"
        out.append(
            Check(
                o.name,
                None if value is None else float(value),
                o.limit,
                passed,
                f"{_LABEL[o.name]} {o.show(value)} {sign} {o.show(o.limit)}",
            )
        )
    return out


def binding(row: dict[str, Any]) -> str:
    """What limits this point, from the model's utilisation figures (short, for a table):
    ``request window`` (429s because it was full, or ≥ 98 % full), ``ERP queue`` (429s
    because every slot was busy and the queue full), ``32 in flight`` (the
    connector keeps fewer requests in flight than the ERP has slots, and fills them all in
    the peak hour), ``slots 93%`` (ERP concurrency busy ≥ 80 % of the peak hour),
    ``retries`` (after faults), ``interval`` (batch), or ``headroom`` (nothing near a
    limit)."""
    window = float(row.get("window_peak_share") or 0.0)
    slots = float(row.get("erp_peak_hour_utilisation") or 0.0)
    if int(row.get("status_429_window") or 0) > 0 or window >= 0.98:
        return "request window"
    if int(row.get("status_429_queue") or 0) > 0:
        return "ERP queue"
    workers, concurrency = row.get("connector_workers"), row.get("erp_concurrency")
    if workers and concurrency and workers < concurrency and slots >= 0.95 * workers / concurrency:
        return f"{workers} in flight"
    if slots >= 0.8:
        return f"slots {slots:.0%}"
    if int(row.get("dead_letters") or 0) > 0 or int(row.get("retries") or 0) > 0:
        return "retries"
    if row.get("integration_mode") in ("batch", "hybrid"):
        return "interval"
    return "headroom"


def _number(value: object) -> float:
    try:
        return float(str(value))
    except ValueError:
        try:
            return scenarios.parse_duration(str(value)).total_seconds()
        except (ValueError, TypeError):
            return math.inf


def cost_of(keys: list[str]) -> tuple[str, Any]:
    """The name of "cheapest" for these swept keys, and a sort key over rows."""
    capacity = [k for k in keys if k.startswith("erp.")]
    if capacity:
        name = "smallest ERP capacity"

        def by_capacity(row: dict[str, Any]) -> tuple[float, ...]:
            return (*(_number(row[k]) for k in capacity), float(row["api_calls_per_day"]))

        return name, by_capacity
    if keys == ["integration.interval"]:
        return "longest interval", lambda row: (-_number(row["integration.interval"]),)
    return "fewest ERP calls/day", lambda row: (float(row["api_calls_per_day"]),)


@dataclasses.dataclass(frozen=True, slots=True)
class Decision:
    """The sweep's answer."""

    chosen: int | None
    """index of the chosen row; None: no point meets every objective"""
    cost: str
    answer: str
    """one line: the point and why, or that none meets every objective and what fails first"""
    detail: str
    """the chosen point's figures against each objective, or the nearest miss"""
    passing: int
    failing_first: str | None

    @property
    def exit_code(self) -> int:
        """0 a point meets every objective, 1 none does (the README's exit codes)."""
        return 0 if self.chosen is not None else 1

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def point_label(row: dict[str, Any], keys: list[str]) -> str:
    """``integration.mode=batch, integration.interval=15m`` (keys that apply)."""
    return ", ".join(f"{k}={row[k]}" for k in keys if row.get(k) not in (None, "—"))


def decide(rows: list[dict[str, Any]], keys: list[str], objs: list[Objective]) -> Decision:
    """The cheapest row that meets every objective (see the module docstring)."""
    cost, order = cost_of(keys)
    checks = [judge(r, objs) for r in rows]
    good = [i for i, cs in enumerate(checks) if all(c.passed for c in cs)]
    if good:
        best = min(good, key=lambda i: order(rows[i]))
        answer = (
            f"answer: {point_label(rows[best], keys)} — {cost}, {len(good)}/{len(rows)} points pass"
        )
        detail = ", ".join(c.text for c in checks[best]) + f"; binding: {binding(rows[best])}"
        return Decision(best, cost, answer, detail, len(good), None)
    if not rows:
        return Decision(None, cost, "answer: no point was simulated", "", 0, None)
    fails = {o.name: sum(not cs[j].passed for cs in checks) for j, o in enumerate(objs)}
    first = max(objs, key=lambda o: fails[o.name])
    j = objs.index(first)
    values = [(cs[j].value, i) for i, cs in enumerate(checks) if cs[j].value is not None]
    if values:
        value, i = min(values)
        nearest = (
            f"nearest: {point_label(rows[i], keys)}, {_LABEL[first.name]} "
            f"{first.show(value)} > {first.show(first.limit)}; binding: {binding(rows[i])}"
        )
    else:
        nearest = ""
    answer = (
        f"answer: none of {len(rows)} points meets every objective; {first.name} fails "
        f"at {fails[first.name]}"
    )
    return Decision(None, cost, answer, nearest, 0, first.name)
