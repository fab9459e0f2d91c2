"""The report, the comparison and export never show a verdict they cannot re-derive: the
verdict is judged again from the tables, and a missing, corrupt or wrong-schema table is
one line naming the file (exit 2 on the command line), never summary.json's old verdict,
a traceback, or the contents of a file that is not a scenario."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import reports
from reports.compare import build_comparison
from reports.export import export_run
from reports.html import build_report
from tests.reports.report_support import live_run

STALE_PASS = {
    "passed": True,
    "exit_code": 0,
    "slos": [{"name": "missing", "target": 0, "actual": 0, "passed": True, "detail": "stale"}],
    "findings": [],
    "diagnosis": ["all good: from an old verification"],
}


def _verdict_section(html: str) -> str:
    start = html.index('id="verdict"')
    return html[start : html.index("</section>", start)]


def _corrupt(file: Path) -> None:
    """Keep the magic bytes, break the footer: Arrow's message then quotes a byte of it and
    ends in a newline ("Couldn't deserialize thrift: don't know what type: \\x0e\\n")."""
    footer = b"\x1e" * 16
    file.write_bytes(file.read_bytes()[:-8] + footer + struct.pack("<i", len(footer)) + b"PAR1")


@pytest.fixture
def run(tmp_path: Path) -> Path:
    return live_run(tmp_path, transactions=800, verdict=False)


def test_a_stale_pass_in_summary_json_is_never_shown(run: Path) -> None:
    (run / "summary.json").write_text(json.dumps(STALE_PASS))

    html = build_report(run).read_text(encoding="utf-8")

    verdict = reports.judge(run)
    assert not verdict.passed
    section = _verdict_section(html)
    assert "FAIL" in section
    assert "PASS" not in section
    assert "summary.json, from an earlier verification, says the run passed" in section
    assert "all good: from an old verification" not in html
    for slo in verdict.slos:
        assert slo.detail in html


@pytest.mark.parametrize(
    ("how", "problem"),
    [
        ("corrupt", "cannot read it as Parquet"),
        ("missing", "is missing"),
        ("wrong kind", "column quantity is large_string, expected a number"),
    ],
)
def test_a_broken_required_table_is_one_line_naming_the_file(
    run: Path, how: str, problem: str
) -> None:
    (run / "summary.json").write_text(json.dumps(STALE_PASS))
    file = run / "erp" / "document_lines.parquet"
    if how == "corrupt":
        _corrupt(file)
    elif how == "missing":
        file.unlink()
    else:
        lines = pd.read_parquet(file)
        lines["quantity"] = lines["quantity"].astype(str)
        lines.to_parquet(file)

    with pytest.raises(reports.RunDirError) as caught:
        build_report(run)

    message = str(caught.value)
    assert "erp/document_lines.parquet" in message
    assert problem in message
    assert "\n" not in message
    assert message.isprintable()
    assert not (run / "report.html").exists()


def test_leniently_the_report_says_not_verified_and_why(run: Path) -> None:
    (run / "summary.json").write_text(json.dumps(STALE_PASS))
    _corrupt(run / "erp" / "document_lines.parquet")

    html = build_report(run, strict=False).read_text(encoding="utf-8")

    section = _verdict_section(html)
    assert "NOT VERIFIED" in section
    assert "erp/document_lines.parquet: cannot read it as Parquet" in section
    assert "PASS" not in section


def test_a_file_that_is_not_a_table_is_never_quoted(run: Path) -> None:
    secret = "root:x:0:0:root:/root:/bin/bash"
    (run / "erp" / "documents.parquet").write_text(secret + "\n" * 20)

    for read in (build_report, export_run, reports.verify):
        with pytest.raises(reports.RunDirError) as caught:
            read(run)
        assert "erp/documents.parquet" in str(caught.value)
        assert "/bin/bash" not in str(caught.value)
        assert "root:x" not in str(caught.value)


def test_the_objectives_the_run_was_judged_with_are_kept(run: Path) -> None:
    objectives = {"sync_latency_p95": None, "converge_within": "10h"}
    verified = reports.verify(run, scenario_slo=objectives)
    assert "sync_latency_p95" not in [s.name for s in verified.slos]
    assert verified.objectives == objectives
    with_scenario = reports.judge(run)
    assert "sync_latency_p95" in [s.name for s in with_scenario.slos]

    html = build_report(run).read_text(encoding="utf-8")

    assert "<code>sync_latency_p95</code>" not in html
    assert ("PASS" if verified.passed else "FAIL") in _verdict_section(html)


def test_compare_re_derives_each_verdict_and_refuses_a_broken_run(
    run: Path, tmp_path: Path
) -> None:
    other = live_run(tmp_path, "other", transactions=800, verdict=False)
    (other / "summary.json").write_text(json.dumps(STALE_PASS))
    page = build_comparison([run, other], out=tmp_path / "cmp").read_text(encoding="utf-8")
    assert "all good: from an old verification" not in page
    _corrupt(other / "truth" / "lines.parquet")

    with pytest.raises(reports.RunDirError, match=r"truth/lines\.parquet: cannot read it"):
        build_comparison([run, other], out=tmp_path / "cmp2")


def test_export_refuses_a_corrupt_or_missing_table_before_writing(
    run: Path, tmp_path: Path
) -> None:
    _corrupt(run / "samples" / "stock.parquet")
    with pytest.raises(reports.RunDirError, match=r"samples/stock\.parquet: cannot read it"):
        export_run(run, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    (run / "samples" / "stock.parquet").unlink()
    (run / "truth" / "lines.parquet").unlink()
    with pytest.raises(reports.RunDirError, match=r"truth/lines\.parquet is missing"):
        export_run(run, out=tmp_path / "out")


@pytest.mark.parametrize("command", ["verify", "report", "export", "compare"])
def test_every_reader_on_the_command_line_exits_2_with_one_line(
    run: Path, tmp_path: Path, command: str
) -> None:
    from tillbench.cli import app

    (run / "summary.json").write_text(json.dumps(STALE_PASS))
    _corrupt(run / "erp" / "documents.parquet")
    args = [command, str(run)]
    if command == "compare":
        args += [str(live_run(tmp_path, "b", transactions=300)), "--out", str(tmp_path / "c")]

    result = CliRunner().invoke(app, args)

    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "erp/documents.parquet: cannot read it as Parquet" in result.stderr
    assert "PASS" not in result.output
    assert "Traceback" not in result.output


def test_a_verdict_just_judged_is_shown_without_judging_again(
    run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdict = reports.verify(run)

    def judged_again(*_: object, **__: object) -> None:
        raise AssertionError("judged a second time")

    monkeypatch.setattr("reports._verify.judge", judged_again)
    html = build_report(run, verdict=verdict).read_text(encoding="utf-8")

    assert ("PASS" if verdict.passed else "FAIL") in _verdict_section(html)
    with pytest.raises(AssertionError, match="judged a second time"):
        build_report(run)
