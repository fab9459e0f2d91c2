"""The saturation evidence: per-step JSON and table, the whole search's history, a chart."""

from __future__ import annotations

import csv
import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import pytest

from tillbench.load.evidence import step_rows, write_evidence
from tillbench.load.saturate import Saturation, Slo, Step, breach, verdicts

HEAD = "Timestamp,User Count,Type,Name,Requests/s,Failures/s,95%,Total Request Count\n"
SLO = Slo(e2e_p95_s=2.0)


def _step(offered: float, **extra: Any) -> Step:
    step = Step(
        offered_rps=offered,
        achieved_rps=offered,
        p95_ms=80.0,
        error_rate=0.0,
        requests=int(offered * 10),
        duration_s=10.0,
        **extra,
    )
    return dataclasses.replace(step, verdicts=verdicts(step, SLO), breach=breach(step, SLO))


@pytest.fixture
def saturation() -> Saturation:
    good = _step(5, e2e_p95_s=0.4, backlog_slope=0.0, committed_rps=5.0, drain_s=1.0)
    bad = _step(7.5, e2e_p95_s=math.inf, backlog_slope=2.0, committed_rps=4.0, drain_s=30.0)
    return Saturation(steps=(good, bad), best=good, broke=True)


def test_files_from_every_step(saturation: Saturation, tmp_path: Path) -> None:
    steps = tmp_path / "locust" / "steps"
    steps.mkdir(parents=True)
    for n, start in ((1, 100), (2, 200)):
        rows = "".join(f"{start + i},5,,Aggregated,5,0,80,{i * 5}\n" for i in range(3))
        (steps / f"step-0{n}_stats_history.csv").write_text(HEAD + rows)
    body = write_evidence(tmp_path, saturation, slo=SLO, step_dir=steps, settings={"step_s": 10})

    stored = json.loads(
        (tmp_path / "saturation.json").read_text(),
        parse_constant=lambda c: pytest.fail(f"{c} is not JSON"),
    )
    assert stored == json.loads(json.dumps(body))
    assert stored["sustainable_rps"] == 5
    assert [s["e2e_p95_s"] for s in stored["steps"]] == [0.4, "inf"]
    assert stored["steps"][1]["verdicts"]["e2e_p95"].startswith("end-to-end p95 ∞")
    assert stored["slo"]["e2e_p95_s"] == 2.0

    with (tmp_path / "locust" / "saturation_stats.csv").open(newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [r["offered req/s"] for r in table] == ["5.00", "7.50"]
    assert table[0]["verdict"] == "ok (sustainable)"
    assert table[1]["verdict"].startswith("broke e2e_p95, backlog: end-to-end p95")

    history = (tmp_path / "locust" / "saturation_stats_history.csv").read_text().splitlines()
    assert history[0] == HEAD.strip()
    assert [line.split(",")[0] for line in history[1:]] == [
        "100",
        "101",
        "102",
        "200",
        "201",
        "202",
    ]
    assert (tmp_path / "locust" / "saturation.png").stat().st_size > 10_000


def test_the_step_table_fits_the_reports_ten_columns(saturation: Saturation) -> None:
    rows = step_rows(saturation)
    assert len(rows) == 2
    assert len(rows[0]) <= 10
    assert rows[1]["e2e p95 s"] == "inf"
