"""A run against a real ERP: the report names the ERP, its notes and the faults skipped."""

from __future__ import annotations

import json
from pathlib import Path

from rpt_support import live_run

from reports.html import build_report


def test_the_environment_lists_the_erp_notes_and_not_applicable_faults(tmp_path: Path) -> None:
    run = live_run(tmp_path)
    meta = json.loads((run / "run.json").read_text(encoding="utf-8"))
    meta.update(
        erp_kind="tryton-8.2",
        erp={"kind": "tryton-8.2", "database_kind": "sqlite"},
        notes=["ERP-side scenario events are not run against Tryton"],
        faults_not_applicable=[
            {"id": "f0", "target": "erp", "kind": "outage", "why": "cannot be injected"}
        ],
    )
    (run / "run.json").write_text(json.dumps(meta), encoding="utf-8")

    html = build_report(run).read_text(encoding="utf-8")

    environment = html[html.index('id="environment"') :]
    assert "tryton-8.2" in environment
    assert "erp.database_kind" in environment
    assert "ERP-side scenario events are not run against Tryton" in environment
    assert "f0 erp outage: cannot be injected" in environment
