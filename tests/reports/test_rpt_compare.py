"""Run comparison: the scorecard judges each run against the first, per row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rpt_support import live_run, saturation_json

from reports.charts import RunData
from reports.compare import build_comparison, score, scorecard
from reports.tables import RunTables, TablesError


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("compare")
    base = live_run(root, "v1", verdict=False, extra_run={"connector": {"name": "v1"}})
    worse = live_run(
        root,
        "v2",
        verdict=False,
        latency_median_s=12.0,
        missing_share=0.02,
        duplicate_share=0.01,
        extra_run={"connector": {"name": "v2"}},
    )
    return base, worse


def test_scorecard_says_better_and_worse(runs: tuple[Path, Path]) -> None:
    rows = {r.metric.key: r for r in scorecard([RunData(RunTables.open(p)) for p in runs])}
    assert rows["p50"].verdicts == ["baseline", "worse"]
    assert rows["missing"].verdicts == ["baseline", "worse"]
    assert rows["duplicated"].verdicts == ["baseline", "worse"]
    assert rows["missing"].values[0] == 0
    flipped = {r.metric.key: r for r in scorecard([RunData(RunTables.open(p)) for p in runs[::-1]])}
    assert flipped["p50"].verdicts == ["baseline", "better"]


def test_counts_come_from_the_tables(runs: tuple[Path, Path]) -> None:
    import pandas as pd

    figures = score(RunData(RunTables.open(runs[1])))
    truth = pd.read_parquet(runs[1] / "truth/transactions.parquet")
    docs = pd.read_parquet(runs[1] / "erp/documents.parquet")
    expected = truth[truth["kind"].astype(str) != "cancel"]["txn_id"]
    assert figures["missing"] == (~expected.isin(docs["external_document_number"])).sum()
    assert figures["duplicated"] == len(docs) - docs["external_document_number"].nunique()


def test_comparison_page_has_overlaid_charts(runs: tuple[Path, Path], tmp_path: Path) -> None:
    page = build_comparison(list(runs), out=tmp_path / "cmp")
    html = page.read_text(encoding="utf-8")
    assert "v1 · v1" in html
    assert "v2 · v2" in html
    assert len(re.findall(r'<img src="data:image/png;base64,', html)) == 3
    assert html.count('<span class="tag">worse</span>') >= 3
    assert (tmp_path / "cmp/charts/compare_latency_cdf.svg").is_file()


def test_one_run_is_not_a_comparison(runs: tuple[Path, Path], tmp_path: Path) -> None:
    with pytest.raises(TablesError, match="at least two run directories, got 1"):
        build_comparison([runs[0]], out=tmp_path)


def test_sustained_rate_only_counts_when_the_slos_held(tmp_path: Path) -> None:
    passing = live_run(tmp_path, "calm", outage=None)
    failing = live_run(tmp_path, "outage")
    runs = [RunData(RunTables.open(p)) for p in (passing, failing)]
    good, bad = (score(r) for r in runs)
    assert good["sustained"] == good["sales_rate"]
    assert bad["sustained"] is not None
    assert bad["sustained"] != bad["sustained"], "NaN: the SLOs failed"
    rows = {r.metric.key: r for r in scorecard(runs)}
    assert rows["sustained"].verdicts == ["baseline", "worse"]


def test_verified_convergence_wins_over_the_samples(tmp_path: Path) -> None:
    run = live_run(tmp_path, "verified", verdict=False)
    (run / "summary.json").write_text('{"passed": false, "slos": [], "convergence_s": null}')
    assert score(RunData(RunTables.open(run)))["convergence"] == float("inf")
    (run / "summary.json").write_text('{"passed": true, "slos": [], "convergence_s": 42.0}')
    assert score(RunData(RunTables.open(run)))["convergence"] == 42.0


def test_saturation_searches_compare_on_their_sustainable_rate(
    runs: tuple[Path, Path], tmp_path: Path
) -> None:
    without = {r.metric.key for r in scorecard([RunData(RunTables.open(p)) for p in runs])}
    assert "saturation" not in without, "runs without a search have no such row"
    faster = tmp_path / "faster"
    slower = tmp_path / "slower"
    for folder, rate in ((faster, 14.0), (slower, 6.1)):
        folder.mkdir()
        (folder / "scenario.yaml").write_text("name: demo\n")
        saturation_json(folder, sustainable_rps=rate)
    rows = {
        r.metric.key: r for r in scorecard([RunData(RunTables.open(p)) for p in (faster, slower)])
    }
    assert rows["saturation"].values == [14.0, 6.1]
    assert rows["saturation"].verdicts == ["baseline", "worse"]
