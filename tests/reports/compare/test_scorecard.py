"""The comparison scorecard judges each run against the first, per row."""

from __future__ import annotations

from pathlib import Path

import reports
from reports import RunDir
from reports.charts import RunData
from reports.compare import score, scorecard
from tests.reports.report_support import live_run, saturation_json


def test_scorecard_says_better_and_worse(runs: tuple[Path, Path]) -> None:
    rows = {r.metric.key: r for r in scorecard([RunData(RunDir.open(p)) for p in runs])}
    assert rows["p50"].verdicts == ["baseline", "worse"]
    assert rows["missing"].verdicts == ["baseline", "worse"]
    assert rows["duplicated"].verdicts == ["baseline", "worse"]
    assert rows["missing"].values[0] == 0
    flipped = {r.metric.key: r for r in scorecard([RunData(RunDir.open(p)) for p in runs[::-1]])}
    assert flipped["p50"].verdicts == ["baseline", "better"]


def test_counts_come_from_the_tables(runs: tuple[Path, Path]) -> None:
    import pandas as pd

    figures = score(RunData(RunDir.open(runs[1])))
    truth = pd.read_parquet(runs[1] / "truth/transactions.parquet")
    docs = pd.read_parquet(runs[1] / "erp/documents.parquet")
    expected = truth[truth["kind"].astype(str) != "cancel"]["txn_id"]
    assert figures["missing"] == (~expected.isin(docs["external_document_number"])).sum()
    assert figures["duplicated"] == len(docs) - docs["external_document_number"].nunique()


def test_sustained_rate_only_counts_when_the_slos_held(tmp_path: Path) -> None:
    passing = live_run(tmp_path, "calm", outage=None)
    failing = live_run(tmp_path, "outage")
    runs = [RunData(RunDir.open(p)) for p in (passing, failing)]
    good, bad = (score(r) for r in runs)
    assert good["sustained"] == good["sales_rate"]
    assert bad["sustained"] is not None
    assert bad["sustained"] != bad["sustained"], "NaN: the SLOs failed"
    rows = {r.metric.key: r for r in scorecard(runs)}
    assert rows["sustained"].verdicts == ["baseline", "worse"]


def test_convergence_comes_from_the_verdict_re_derived_not_from_summary_json(
    tmp_path: Path,
) -> None:
    run = live_run(tmp_path, "verified", verdict=False)
    settled = reports.judge(run).convergence_s
    expected = float("inf") if settled is None else settled
    assert score(RunData(RunDir.open(run)))["convergence"] == expected
    (run / "summary.json").write_text('{"passed": true, "slos": [], "convergence_s": 42.0}')
    assert score(RunData(RunDir.open(run)))["convergence"] == expected


def test_saturation_searches_compare_on_their_sustainable_rate(
    runs: tuple[Path, Path], tmp_path: Path
) -> None:
    without = {r.metric.key for r in scorecard([RunData(RunDir.open(p)) for p in runs])}
    assert "saturation" not in without, "runs without a search have no such row"
    faster = tmp_path / "faster"
    slower = tmp_path / "slower"
    for folder, rate in ((faster, 14.0), (slower, 6.1)):
        folder.mkdir()
        (folder / "scenario.yaml").write_text("name: demo\n")
        saturation_json(folder, sustainable_rps=rate)
    rows = {r.metric.key: r for r in scorecard([RunData(RunDir.open(p)) for p in (faster, slower)])}
    assert rows["saturation"].values == [14.0, 6.1]
    assert rows["saturation"].verdicts == ["baseline", "worse"]
