"""After a run: verify it and build its HTML report — the same for live runs and simulations."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import reports
from reports.html import build_report


@dataclasses.dataclass(frozen=True, slots=True)
class Finished:
    """What verification and reporting made of a run directory."""

    verdict: reports.Verdict | None
    verify_error: str | None
    report: Path | None
    report_error: str | None


def finish_run(run_dir: Path, *, verify: bool = True) -> Finished:
    """Verify ``run_dir`` (summary.json, junit.xml) and build ``report.html`` beside them.

    A run directory that cannot be verified (a traffic-only run, or a table missing) still
    gets its report, which says why it is not verified; neither step raises.
    """
    verdict, verify_error = None, None
    if verify:
        try:
            verdict = reports.verify(run_dir)
        except reports.ReportsError as exc:
            verify_error = str(exc)
            (run_dir / "verify-skipped.txt").write_text(f"{type(exc).__name__}: {exc}\n")
    report, report_error = None, None
    try:
        report = build_report(run_dir, strict=False, verdict=verdict)
    except Exception as exc:  # the run's own figures stay valid without their report
        report_error = f"{type(exc).__name__}: {exc}"
    return Finished(
        verdict=verdict, verify_error=verify_error, report=report, report_error=report_error
    )


__all__ = ["Finished", "finish_run"]
