"""Locust's statistics as the report's table: the figures compared, named and rounded."""

from __future__ import annotations

import math

import pandas as pd

from reports.html.locust import LOCUST_COLUMNS, locust_table


def _stats() -> pd.DataFrame:
    """Columns as Locust 2.x writes ``*_stats.csv`` (the Aggregated row has no type)."""
    return pd.DataFrame(
        {
            "Type": ["POST", math.nan],
            "Name": ["pos:sale", "Aggregated"],
            "Request Count": [12_345, 12_400],
            "Failure Count": [3, 3],
            "Median Response Time": [36.0, 35.0],
            "Average Response Time": [43.711505141, 42.5],
            "Min Response Time": [7.49, 5.99],
            "Max Response Time": [134.5748, 134.5748],
            "Average Content Size": [137.0, 1102.1],
            "Requests/s": [5.978109859, 6.5261],
            "Failures/s": [0.0, 0.0],
            "50%": [36, 35],
            "95%": [94, 94],
            "99%": [120, 120],
        }
    )


def test_the_compared_figures_are_shown_named_and_rounded() -> None:
    table = locust_table(_stats())
    assert table.columns == list(LOCUST_COLUMNS.values())
    sale, total = ({table.columns[i]: c for i, c in enumerate(row)} for row in table.rows)
    assert sale["requests"] == ("12,345", True)
    assert sale["req/s"] == ("5.98", True)
    assert sale["max ms"] == ("135", True)
    assert sale["p95 ms"] == ("94", True)
    assert total["type"] == ("", False), "no 'nan' for the Aggregated row's empty type"
    assert "Average Content Size" not in table.columns


def test_a_file_without_locust_columns_shows_its_first_ten() -> None:
    frame = pd.DataFrame({f"c{i}": [i] for i in range(12)})
    table = locust_table(frame)
    assert table.columns == [f"c{i}" for i in range(10)]
    assert table.rows == [[(f"{i}", True) for i in range(10)]]
