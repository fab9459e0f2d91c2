"""Locust's final statistics (``locust/*_stats.csv``) as the report's table: one row per
request name, the figures a reader compares (counts, rates, percentiles), rounded."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import pandas as pd

__all__ = ["LOCUST_COLUMNS", "LocustTable", "locust_table"]

LOCUST_COLUMNS: dict[str, str] = {
    "Type": "type",
    "Name": "name",
    "Request Count": "requests",
    "Failure Count": "failures",
    "Requests/s": "req/s",
    "Failures/s": "failures/s",
    "50%": "p50 ms",
    "95%": "p95 ms",
    "99%": "p99 ms",
    "Max Response Time": "max ms",
}
"""Locust's column → the report's heading, in the order shown."""

_TEXT = frozenset({"Type", "Name"})
_MAX_ROWS = 30


@dataclass(frozen=True, slots=True)
class LocustTable:
    columns: list[str]
    rows: list[list[tuple[str, bool]]]
    """Cells as (text, numeric)."""


def _cell(value: object, *, text: bool) -> tuple[str, bool]:
    if text or not isinstance(value, numbers.Real) or isinstance(value, bool):
        missing = value is None or (isinstance(value, float) and math.isnan(value))
        return ("" if missing else str(value)), False
    number = float(value)
    if math.isnan(number):
        return "", True
    if number.is_integer():
        return f"{int(number):,}", True
    return (f"{number:,.2f}" if abs(number) < 10 else f"{number:,.0f}"), True


def locust_table(stats: pd.DataFrame) -> LocustTable:
    """The known columns present (the first ten of the file when it has none of them)."""
    known = [c for c in LOCUST_COLUMNS if c in stats.columns]
    columns = known if len(known) > 2 else [str(c) for c in stats.columns[:10]]
    rows = [
        [_cell(value, text=name in _TEXT) for name, value in zip(columns, row, strict=True)]
        for row in stats[columns].head(_MAX_ROWS).itertuples(index=False)
    ]
    return LocustTable([LOCUST_COLUMNS.get(c, c) for c in columns], rows)
