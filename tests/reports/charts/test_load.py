"""Locust's statistics and history under ``locust/``: which file is which."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from reports.charts.load import _find, locust_history, locust_stats
from tests.reports.report_support import locust_csvs


def test_locust_history_is_drawn_when_present(tmp_path: Path) -> None:
    run = tmp_path / "load"
    locust_csvs(run)
    drawn = locust_history(run)
    assert not isinstance(drawn, str)
    rate_axis = drawn[0].axes[0]
    assert np.asarray(rate_axis.get_lines()[0].get_ydata(), dtype=float)[-1] == 50.0


def test_find_prefers_locust_prefix_and_ignores_subfolders(tmp_path: Path) -> None:
    folder = tmp_path / "locust"
    (folder / "steps").mkdir(parents=True)
    for name in ("aaa_stats.csv", "locust_stats.csv", "steps/a_stats.csv"):
        (folder / name).write_text("Name\nx\n")
    assert _find(tmp_path, "_stats.csv") == folder / "locust_stats.csv"
    (folder / "locust_stats.csv").unlink()
    (folder / "aaa_stats.csv").unlink()
    assert _find(tmp_path, "_stats.csv") is None, "locust/steps/ is not looked in"


def test_saturation_step_table_is_not_taken_for_locust_statistics(
    load: Path, load_html: str
) -> None:
    assert locust_stats(load) is None
    assert 'id="locust-stats"' not in load_html
    assert "/step/only" not in load_html
    assert _find(load, "_stats_history.csv") == load / "locust/saturation_stats_history.csv"
    assert 'id="chart-locust"' in load_html


def test_step_table_is_locust_statistics_without_saturation_json(tmp_path: Path) -> None:
    folder = tmp_path / "locust"
    folder.mkdir()
    pd.DataFrame({"Name": ["Aggregated"]}).to_csv(folder / "saturation_stats.csv", index=False)
    stats = locust_stats(tmp_path)
    assert stats is not None
    assert list(stats["Name"]) == ["Aggregated"]
