"""The run directory's other files: metadata, verdicts, reports, logs, Locust statistics.

Tables are Parquet files of fixed columns (the rest of the contract); these files are
documented here so one page lists everything a run directory holds.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FILES", "File"]


@dataclass(frozen=True, slots=True)
class File:
    """A file or family of files of a run directory, who writes it and what it holds."""

    path: str
    doc: str
    writers: str


FILES: tuple[File, ...] = (
    File("scenario.yaml", "the resolved scenario, seed included: replay it bit for bit", "all"),
    File("run.json", "run metadata (`domain.rundir.RunMeta`; fields below)", "live, model, load"),
    File(
        "summary.json",
        'the verification verdict (`reports.Verdict`), or `{"kind": "traffic", …}` / '
        '`{"kind": "simulation", …}` with the traffic and capacity figures',
        "verify, simulate",
    ),
    File("junit.xml", "one test case per SLO", "verify"),
    File("verify-skipped.txt", "why the run could not be verified", "live, simulate, load"),
    File("capacity.json", "the capacity model's headline figures", "model"),
    File("traffic.json", "the traffic simulation's summary", "simulate"),
    File("driver/actions.json", "timed actions of the driver (faults, ERP events) as done", "live"),
    File(
        "connector/",
        "the connector's environment (env.json, env.sh), logs/ and state/ (scanned for card "
        "numbers)",
        "live, load",
    ),
    File("logs/", "the mocks' logs", "live, load"),
    File("pos/pos.sqlite3, erp/erp.sqlite3", "the mocks' databases (SQLite runs)", "live, load"),
    File("saturation.json", "the saturation search: settings, steps, sustainable rate", "load"),
    File(
        "locust/*_stats.csv, locust/*_stats_history.csv",
        "Locust statistics (`locust/steps/`: per step of a saturation search)",
        "load",
    ),
    File("locust/e2e.json", "end-to-end latency: POS acceptance joined with ERP commit", "load"),
    File("report.html, charts/*.png, charts/*.svg", "the report (`tillbench report`)", "report"),
    File("export/", "`tillbench export`: every table as CSV or Parquet, plus derived/", "export"),
    File(
        "sweep.parquet, sweep.json",
        "a sweep directory (`tillbench simulate --sweep`): one row per point, the swept keys "
        "then the headline figures; one run directory per point beside them",
        "simulate --sweep",
    ),
)
"""Every file of a run directory that is not a table."""
