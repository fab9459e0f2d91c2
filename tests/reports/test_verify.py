"""`verify`: a correct integration passes every SLO and says so in plain words. How long a
million transactions take is measured by `make bench` (benchmarks/verify_run.py), not here."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

import reports
from reports import Verdict
from tests.reports.scale_support import write_large_run
from tests.reports.verify_support import LATENCY_S, SPEED, Truth, edit

SLO_NAMES = [
    "sync_latency_p95",
    "missing",
    "duplicates",
    "mismatched",
    "unexpected",
    "wrong_store",
    "converge_within",
    "card_leaks",
]


def test_clean_run_passes(run_dir: Path, truth: Truth) -> None:
    verdict = reports.verify(run_dir)

    assert verdict.passed
    assert verdict.exit_code == 0
    assert [slo.name for slo in verdict.slos] == SLO_NAMES
    assert all(slo.passed for slo in verdict.slos)
    once = verdict.exactly_once
    assert once.expected == len(truth.kinds)
    assert once.posted == len(truth.kinds)
    for name in ("missing", "duplicated", "mismatched", "late", "unexpected", "unposted"):
        assert getattr(once, name).count == 0, name
    assert verdict.diagnosis == [
        f"all good: all {len(truth.kinds)} POS transactions reached the ERP exactly once and "
        "match; stock drift settled and no card number left the POS"
    ]
    assert verdict.findings == []


def test_clean_run_covers_every_document_kind(truth: Truth, run_dir: Path) -> None:
    once = reports.verify(run_dir).exactly_once

    assert set(once.expected_by_kind) == {"sale", "return", "post_void"}
    assert once.expected_by_kind == {
        kind: list(truth.kinds.values()).count(kind) for kind in once.expected_by_kind
    }


def test_sync_latency_in_sim_and_wall_seconds(run_dir: Path, truth: Truth) -> None:
    latency = reports.verify(run_dir).sync_latency

    assert latency.count == len(truth.kinds)
    assert latency.sim is not None
    assert latency.wall is not None
    assert latency.sim.p50 == pytest.approx(LATENCY_S)
    assert latency.sim.max == pytest.approx(LATENCY_S)
    assert latency.wall.p95 == pytest.approx(LATENCY_S / SPEED)


def test_drift_and_record_inaccuracy_kept_apart(run_dir: Path) -> None:
    verdict = reports.verify(run_dir)

    assert verdict.drift is not None
    assert verdict.record_inaccuracy is not None
    assert verdict.drift.sum_abs == 0
    assert verdict.drift.pairs == 600
    assert verdict.record_inaccuracy.pairs_off > 0, "shrink makes POS book ≠ physical"
    assert verdict.convergence_s is not None
    assert verdict.convergence_s <= 300


def test_api_calls_per_sale_counts_only_the_connector(run_dir: Path, truth: Truth) -> None:
    verdict = reports.verify(run_dir)

    assert verdict.api_calls_per_sale == pytest.approx(2.0)
    assert verdict.api_cost is not None
    sales = list(truth.kinds.values()).count("sale")
    assert verdict.api_cost.calls == 2 * sales
    assert verdict.api_cost.per_day == pytest.approx(2 * sales * 86_400 / truth.traffic_end_t)


def test_summary_json_round_trips(run_dir: Path) -> None:
    verdict = reports.verify(run_dir)

    data = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(verdict.to_dict()))
    assert Verdict.from_dict(data) == verdict


def test_junit_has_one_passing_case_per_slo(run_dir: Path) -> None:
    reports.verify(run_dir)

    suite = ET.parse(run_dir / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == SLO_NAMES
    assert all(case.find("failure") is None for case in cases)
    assert suite.get("failures") == "0"


def test_render_prints_the_verdict_first(run_dir: Path) -> None:
    console = Console(record=True, width=200)

    reports.verify(run_dir).render(console)

    text = console.export_text()
    assert text.index("PASS") < text.index("SLOs") < text.index("Exactly once")
    assert text.index("Exactly once") < text.index("Stock ledgers") < text.index("Sync latency")


def test_nulls_in_erp_tables_never_break_summary_json(run_dir: Path) -> None:
    def blank(frame: pd.DataFrame) -> pd.DataFrame:
        column = "committed_t" if "committed_t" in frame else "unit_price_minor"
        frame[column] = frame[column].astype("float64")
        frame.loc[frame.index[:3], column] = float("nan")
        return frame

    edit(run_dir, "erp/documents", blank)
    edit(run_dir, "erp/document_lines", blank)

    verdict = reports.verify(run_dir)

    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["sync_latency"]["count"] == verdict.exactly_once.expected - 3
    assert verdict.exactly_once.mismatched.count >= 1


def test_a_simulated_run_has_no_wall_seconds(run_dir: Path) -> None:
    meta = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    (run_dir / "run.json").write_text(json.dumps({**meta, "speed": None}), encoding="utf-8")

    verdict = reports.verify(run_dir)

    assert verdict.sync_latency.speed is None
    assert verdict.sync_latency.wall is None
    assert verdict.slos[0].detail == "p95 3.0 s sim within 60 s"


def test_scaled_down_synthetic_run_is_consistent(tmp_path: Path) -> None:
    write_large_run(tmp_path / "run", transactions=2_000)

    verdict = reports.verify(tmp_path / "run")

    assert verdict.exactly_once.expected == 2_000
    assert verdict.exactly_once.missing.count == 0
    assert verdict.exactly_once.mismatched.count == 0
    assert verdict.drift is not None
    assert verdict.drift.sum_abs == 0
