"""Charts of a run directory (matplotlib, Agg): PNG and SVG under ``RUN/charts/``.

`draw_run(data, out)` draws every chart it can and returns, in report order, a `Chart`
for each drawn and a `Skipped` (with the reason) for each whose table is absent.
"""

from reports.charts.catalogue import NOT_FOR_LOAD_RUNS, RUN_CHARTS, ChartSpec, draw, draw_run
from reports.charts.model import Chart, Skipped
from reports.charts.series import RunData

__all__ = [
    "NOT_FOR_LOAD_RUNS",
    "RUN_CHARTS",
    "Chart",
    "ChartSpec",
    "RunData",
    "Skipped",
    "draw",
    "draw_run",
]
