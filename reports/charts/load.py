"""Locust charts: request rate, failures and response-time percentiles over time.

Locust's ``--csv PREFIX`` writes ``PREFIX_stats.csv`` and ``PREFIX_stats_history.csv``;
the report looks for them under ``locust/`` in the run directory.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from reports.charts import _style as st

__all__ = ["locust_history", "locust_stats"]


def _find(run_dir: Path, suffix: str) -> Path | None:
    found = sorted((run_dir / "locust").glob(f"*{suffix}")) if (run_dir / "locust").is_dir() else []
    return found[0] if found else None


def locust_stats(run_dir: Path) -> pd.DataFrame | None:
    """Locust's final per-request statistics (``*_stats.csv``), or None if absent."""
    file = _find(run_dir, "_stats.csv")
    return None if file is None else pd.read_csv(file)


def locust_history(run_dir: Path) -> tuple[Figure, str] | str:
    file = _find(run_dir, "_stats_history.csv")
    if file is None:
        return "no Locust statistics (locust/*_stats_history.csv): not a load run"
    frame = pd.read_csv(file)
    if "Name" in frame:
        frame = frame[frame["Name"] == "Aggregated"]
    if frame.empty or "Timestamp" not in frame:
        return f"{file.name} has no aggregated rows"
    x = pd.to_datetime(frame["Timestamp"], unit="s").to_numpy()
    fig = st.figure(rows=2, size=(8.0, 5.0))
    rate, times = fig.axes
    rate.plot(x, frame["Requests/s"], color=st.BLUE, label="requests/s")
    rate.plot(x, frame["Failures/s"], color=st.VERMILLION, ls="--", label="failures/s")
    if "User Count" in frame:
        users = rate.twinx()
        users.plot(x, frame["User Count"], color=st.GREY, ls=":", label="users")
        users.set_ylabel("users")
        users.grid(False)
    rate.set_ylabel("per wall second")
    for column, colour, style in (
        ("50%", st.GREEN, "-"),
        ("95%", st.ORANGE, "--"),
        ("99%", st.VERMILLION, ":"),
    ):
        if column in frame:
            values = pd.to_numeric(frame[column], errors="coerce")
            times.plot(x, values, color=colour, ls=style, label=f"p{column[:-1]}")
    times.set_ylabel("response time (ms, wall)")
    st.legend(fig, *fig.axes)
    rate.set_title("Locust load: rate and response times")
    st.time_axis(times)
    times.set_xlabel("wall time (UTC)")
    return fig, f"From {file.name} (aggregated over all request names)."
