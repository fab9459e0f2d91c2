"""Locust charts: request rate, failures and response-time percentiles over time.

Locust's ``--csv PREFIX`` writes ``PREFIX_stats.csv`` and ``PREFIX_stats_history.csv``;
the report looks for them directly under ``locust/`` in the run directory (subfolders, such
as a saturation search's ``locust/steps/``, are ignored), preferring ``tillbench load``'s
prefix ``locust``. A saturation search's ``saturation_stats.csv`` is its step table, which
the report shows from ``saturation.json``: it is not taken for Locust's statistics then.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from reports._errors import RunDirError
from reports._saturation import FILE
from reports.charts import _style as st

__all__ = ["locust_history", "locust_stats"]


PREFERRED = "locust"
"""The ``--csv`` prefix `tillbench load` gives Locust."""


def _find(run_dir: Path, suffix: str, *, exclude: frozenset[str] = frozenset()) -> Path | None:
    """``locust/PREFIX{suffix}``: ``locust{suffix}`` if present, else the first other by name;
    files only, not in subfolders, none of ``exclude``."""
    folder = run_dir / "locust"
    if not folder.is_dir():
        return None
    found = sorted(f for f in folder.glob(f"*{suffix}") if f.is_file() and f.name not in exclude)
    preferred = folder / f"{PREFERRED}{suffix}"
    if preferred in found:
        return preferred
    return found[0] if found else None


def _csv(file: Path) -> pd.DataFrame:
    """A Locust CSV; `RunDirError` naming it when it is not one (never its contents)."""
    try:
        return pd.read_csv(file)
    except UnicodeDecodeError:
        reason = "not UTF-8 text"
    except (OSError, ValueError) as error:
        reason = " ".join(str(error).split()).split(":")[0][:100]
    raise RunDirError(f"{file}: not a CSV file Locust wrote ({reason})")


def locust_stats(run_dir: Path) -> pd.DataFrame | None:
    """Locust's final per-request statistics (``locust/*_stats.csv``), or None if absent."""
    exclude = frozenset({"saturation_stats.csv"}) if (run_dir / FILE).is_file() else frozenset()
    file = _find(run_dir, "_stats.csv", exclude=exclude)
    return None if file is None else _csv(file)


def locust_history(run_dir: Path) -> tuple[Figure, str] | str:
    file = _find(run_dir, "_stats_history.csv")
    if file is None:
        return "no Locust statistics (locust/*_stats_history.csv)"
    frame = _csv(file)
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
