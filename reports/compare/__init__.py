"""Run comparison: `build_comparison(run_dirs, out=DIR)` writes a scorecard
(``compare.html``, better/worse per row against the first run) with overlaid charts."""

from __future__ import annotations

from reports.compare.render import build_comparison
from reports.compare.scorecard import METRICS, Metric, Row, score, scorecard

__all__ = ["METRICS", "Metric", "Row", "build_comparison", "score", "scorecard"]
