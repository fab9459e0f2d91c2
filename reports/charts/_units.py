"""Read the few scenario values the charts draw as reference lines (SLOs, ERP limits)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["duration_s", "scenario_value"]

_UNIT = {"d": 86_400.0, "h": 3_600.0, "m": 60.0, "s": 1.0, "ms": 1e-3}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|d|h|m|s)")


def duration_s(value: object) -> float | None:
    """``15m``, ``1h30m``, ``120ms`` or a number of seconds → seconds; None if unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.replace(" ", "")
        parts = _PART.findall(text)
        if parts and "".join(a + b for a, b in parts) == text:
            return sum(float(a) * _UNIT[b] for a, b in parts)
    return None


def scenario_value(scenario: Mapping[str, Any], dotted: str) -> Any:
    """``scenario['slo']['sync_latency_p95']`` for ``slo.sync_latency_p95``; None if absent."""
    node: Any = scenario
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node
