"""The HTML report of a run directory: `build_report(run_dir) -> Path` writes
``report.html`` (self-contained) and ``charts/*.png|svg``."""

from __future__ import annotations

from reports.html.render import build_report
from reports.html.verdict import VerdictView, read_verdict

__all__ = ["VerdictView", "build_report", "read_verdict"]
