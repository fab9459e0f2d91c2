"""Reading Locust's CSV files: final statistics and the steady served rate."""

from __future__ import annotations

from pathlib import Path

import pytest

from tillbench.load import LoadError
from tillbench.load.stats import AGGREGATED, read_stats, steady_rate

HEAD = "Timestamp,User Count,Type,Name,Requests/s,Total Request Count\n"


def test_steady_rate_leaves_out_the_start_up_second(tmp_path: Path) -> None:
    history = tmp_path / "h_stats_history.csv"
    counts = [0, 3, 13, 23, 33, 43]
    history.write_text(
        HEAD + "".join(f"{100 + i},5,,{AGGREGATED},0,{c}\n" for i, c in enumerate(counts))
    )
    assert steady_rate(history) == pytest.approx(10.0)
    assert steady_rate(history, "other") is None


def test_steady_rate_of_a_too_short_history_is_unknown(tmp_path: Path) -> None:
    history = tmp_path / "h_stats_history.csv"
    history.write_text(HEAD + f"100,5,,{AGGREGATED},0,0\n101,5,,{AGGREGATED},0,4\n")
    assert steady_rate(history) is None


def test_read_stats_needs_the_aggregated_row(tmp_path: Path) -> None:
    stats = tmp_path / "x_stats.csv"
    stats.write_text("Type,Name,Request Count,Failure Count,95%\nPOST,erp:a,10,1,N/A\n")
    with pytest.raises(LoadError, match="has no Aggregated row"):
        read_stats(stats)
    stats.write_text(stats.read_text() + ",Aggregated,10,1,120\n")
    rows = read_stats(stats)
    assert rows["erp:a"].error_rate == pytest.approx(0.1)
    assert rows["erp:a"].p95_ms == 0.0
    assert rows[AGGREGATED].p95_ms == 120.0
