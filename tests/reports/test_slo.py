"""SLOs from the scenario (or given), exit codes, junit.xml failures and usage errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
import yaml

import reports
from reports import RunDirError
from tests.reports.verify_support import edit


def _cases(run_dir: Path) -> dict[str, ET.Element]:
    root = ET.parse(run_dir / "junit.xml").getroot()
    return {case.get("name", ""): case for case in root.iter("testcase")}


def test_latency_objective_fails_by_how_much(run_dir: Path) -> None:
    verdict = reports.verify(
        run_dir, scenario_slo={"sync_latency_p95": "2s", "sync_latency_p99": timedelta(seconds=5)}
    )

    slos = {slo.name: slo for slo in verdict.slos}
    assert not slos["sync_latency_p95"].passed
    assert slos["sync_latency_p95"].detail == "p95 3.0 s sim (0.05 s wall) exceeds 2 s by 1.0 s"
    assert slos["sync_latency_p99"].passed
    assert verdict.exit_code == 1
    cases = _cases(run_dir)
    failure = cases["sync_latency_p95"].find("failure")
    assert failure is not None
    assert failure.get("message") == slos["sync_latency_p95"].detail
    assert cases["sync_latency_p99"].find("failure") is None


def test_slo_section_is_read_from_scenario_yaml(run_dir: Path) -> None:
    scenario = yaml.safe_load((run_dir / "scenario.yaml").read_text())
    scenario["slo"] = {"sync_latency_p95": "1s", "missing": 0, "converge_within": "1h"}
    (run_dir / "scenario.yaml").write_text(yaml.safe_dump(scenario))

    verdict = reports.verify(run_dir)

    slos = {slo.name: slo for slo in verdict.slos}
    assert slos["sync_latency_p95"].target == 1
    assert not slos["sync_latency_p95"].passed
    assert slos["converge_within"].target == 3600


def test_allowed_counts_let_a_run_pass(run_dir: Path) -> None:
    edit(run_dir, "erp/documents", lambda d: d.iloc[2:])

    verdict = reports.verify(run_dir, scenario_slo={"missing": 2})

    assert verdict.passed
    assert verdict.exactly_once.missing.count == 2
    assert next(s for s in verdict.slos if s.name == "missing").detail == (
        "2 missing transactions (≤ 2 allowed)"
    )


def test_junit_marks_each_failed_slo(run_dir: Path) -> None:
    docs = pd.read_parquet(run_dir / "erp" / "documents.parquet")
    edit(run_dir, "erp/documents", lambda d: pd.concat([d.iloc[1:], docs.iloc[[5]]]))

    verdict = reports.verify(run_dir)

    cases = _cases(run_dir)
    assert len(cases) == len(verdict.slos)
    failed = {name for name, case in cases.items() if case.find("failure") is not None}
    assert failed == {"missing", "duplicates"} == {s.name for s in verdict.slos if not s.passed}
    suite = ET.parse(run_dir / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "2"


def test_nothing_posted_fails_latency_with_a_reason(run_dir: Path) -> None:
    edit(run_dir, "erp/documents", lambda d: d.iloc[0:0])

    verdict = reports.verify(run_dir)

    slo = verdict.slos[0]
    assert (slo.name, slo.passed, slo.actual) == ("sync_latency_p95", False, None)
    assert slo.detail == "no document reached the ERP to measure"


def test_not_a_run_directory(tmp_path: Path) -> None:
    with pytest.raises(RunDirError, match="not a run directory"):
        reports.verify(tmp_path / "nope")


def test_missing_erp_documents_is_a_usage_error(run_dir: Path) -> None:
    (run_dir / "erp" / "documents.parquet").unlink()

    with pytest.raises(RunDirError, match=r"erp/documents\.parquet is missing; verify a finished"):
        reports.verify(run_dir)


def test_malformed_slo_duration_names_the_field(run_dir: Path) -> None:
    with pytest.raises(
        RunDirError, match=r"slo\.sync_latency_p95: not a duration .* got '5 minutes'"
    ):
        reports.verify(run_dir, scenario_slo={"sync_latency_p95": "5 minutes"})


def test_negative_count_objective_names_the_field(run_dir: Path) -> None:
    with pytest.raises(RunDirError, match=r"slo\.missing: must be a count ≥ 0, got -1"):
        reports.verify(run_dir, scenario_slo={"missing": -1})


def test_slow_sync_during_an_outage_is_told_apart(run_dir: Path) -> None:
    faults = pd.read_parquet(run_dir / "faults.parquet")
    start, end = faults.loc[faults["kind"] == "outage", ["start_t", "end_t"]].iloc[0]
    tx = pd.read_parquet(run_dir / "truth" / "transactions.parquet")
    inside = set(tx.loc[(tx["t"] >= start) & (tx["t"] <= end), "txn_id"])

    def held_until_the_outage_ends(docs: pd.DataFrame) -> pd.DataFrame:
        held = docs["external_document_number"].isin(inside)
        docs.loc[held, "committed_t"] = end + 5
        return docs

    edit(run_dir, "erp/documents", held_until_the_outage_ends)

    verdict = reports.verify(run_dir)

    assert verdict.sync_latency.outside_faults is not None
    assert verdict.sync_latency.outside_faults.p95 == pytest.approx(3.0)
    slo = verdict.slos[0]
    assert not slo.passed
    assert verdict.findings == ["slow_sync"]
    assert verdict.diagnosis == [
        f"slow sync: {slo.detail}; outside faults and their recovery p95 is 3.0 s, so the "
        "fault backlog is what breaks the objective"
    ]


def test_slow_connector_is_slow_outside_faults_too(run_dir: Path) -> None:
    edit(run_dir, "erp/documents", lambda d: d.assign(committed_t=d["committed_t"] + 120))

    verdict = reports.verify(run_dir)

    assert verdict.diagnosis[-1].endswith("; even outside faults and their recovery p95 is 123.0 s")


def test_null_latency_objectives_are_not_checked(run_dir: Path) -> None:
    verdict = reports.verify(run_dir, scenario_slo={"sync_latency_p95": None, "future_slo": 3})

    assert [slo.name for slo in verdict.slos] == [
        "missing",
        "duplicates",
        "mismatched",
        "unexpected",
        "wrong_store",
        "converge_within",
        "card_leaks",
    ]
    assert "slo keys not checked by verification: future_slo" in verdict.notes


def test_malformed_converge_within_is_a_usage_error(run_dir: Path) -> None:
    with pytest.raises(RunDirError, match=r"slo\.converge_within: not a duration"):
        reports.verify(run_dir, scenario_slo={"converge_within": "soon"})


def test_missing_column_names_the_file_and_column(run_dir: Path) -> None:
    edit(run_dir, "erp/documents", lambda d: d.drop(columns=["committed_t"]))

    with pytest.raises(RunDirError, match=r"documents\.parquet: column committed_t is missing"):
        reports.verify(run_dir)
