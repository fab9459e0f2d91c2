"""A connector that exits unexpectedly (run.json ``connector_exits``): said first in the
diagnosis with its code, its time and what went missing after it; on the report's timeline
and its charts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import reports
from reports.html import build_report
from tests.reports.report_support import live_run
from tests.reports.verify_support import SPEED, Truth, edit, read

WALL_ORIGIN = 1_700_000_000.0


def _exits(path: Path, *entries: dict[str, Any]) -> None:
    meta = json.loads((path / "run.json").read_text())
    meta["connector_exits"] = list(entries)
    (path / "run.json").write_text(json.dumps(meta))


def _lose_after(path: Path, t: float) -> list[str]:
    """Drop the ERP documents of every transaction completed at or after ``t``."""
    txns = read(path, "truth/transactions")
    after = set(txns.loc[(txns["t"] >= t) & (txns["kind"] != "cancel"), "txn_id"])
    edit(path, "erp/documents", lambda d: d[~d["external_document_number"].isin(after)])
    return sorted(after)


def test_an_exit_without_restart_is_the_first_finding_and_names_the_loss(
    run_dir: Path, truth: Truth
) -> None:
    t = 0.75 * truth.traffic_end_t
    lost = _lose_after(run_dir, t)
    _exits(run_dir, {"wall": WALL_ORIGIN + t / SPEED, "t": None, "code": 3, "restarted": False})

    verdict = reports.verify(run_dir)

    assert verdict.findings[:2] == ["connector_exited", "missing"]
    (event,) = verdict.connector_exits
    assert event.t == pytest.approx(t)
    assert event.missing_after == len(lost)
    clock = (truth.scenario.start + dt.timedelta(seconds=t)).strftime("%H:%M:%S")
    assert verdict.diagnosis[0] == (
        f"connector exited: the connector exited with code 3 at {clock} (t={t:.0f} s) and was "
        f"not restarted: {len(lost)} transactions missing after that (of {len(lost)} the POS "
        "completed)"
    )
    assert verdict.exactly_once.missing.count == len(lost)


def test_an_exit_the_harness_restarted_is_said_with_nothing_lost(
    run_dir: Path, truth: Truth
) -> None:
    _exits(run_dir, {"wall": None, "t": 600.0, "code": -9, "restarted": True})

    verdict = reports.verify(run_dir)

    assert verdict.passed, "nothing went missing"
    assert verdict.findings == ["connector_exited"]
    assert verdict.diagnosis[0].startswith(
        "connector exited: the connector exited with signal 9 (SIGKILL) at "
    )
    assert verdict.diagnosis[0].endswith(
        "(t=600 s) and was restarted; nothing went missing after it"
    )


def test_exits_are_on_the_reports_timeline_and_charts(tmp_path: Path) -> None:
    t = 5400.0
    exits = [{"wall": None, "t": t, "code": 1, "restarted": False}]
    run = live_run(tmp_path, extra_run={"connector_exits": exits})
    _lose_after(run, t)

    html = build_report(run).read_text(encoding="utf-8")

    timeline = html[html.index('id="timeline-events"') :]
    timeline = timeline[: timeline.index("</table>")]
    assert f"(t={t:,.0f} s)</th><td>the connector exited with code 1, not restarted" in timeline
    assert timeline.index("traffic starts") < timeline.index("connector exited")
    assert timeline.index("connector exited") < timeline.index("traffic ends")
    for chart in ("latency_over_time", "drift_over_time", "throughput"):
        svg = (run / "charts" / f"{chart}.svg").read_text(encoding="utf-8")
        assert "connector exit (not restarted)" in svg, chart
    assert "connector exited: the connector exited with code 1" in html


def test_a_malformed_exit_names_the_entry_and_field(run_dir: Path) -> None:
    _exits(run_dir, {"t": 5.0, "code": "crashed", "restarted": False})

    with pytest.raises(reports.RunDirError) as caught:
        reports.verify(run_dir)

    assert str(caught.value) == (
        f"{run_dir / 'run.json'}: connector_exits[0].code: must be an integer, got 'crashed'"
    )
