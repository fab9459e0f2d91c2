"""The verdict a report or a comparison shows: re-derived from the tables, never read back.

``summary.json`` is what verification wrote at the time; the tables may have changed since
(a table corrupted, removed, rewritten). So the report judges the run again (`judge`, which
writes nothing) and shows that verdict, with the objectives the run was judged against
(``objectives`` in ``summary.json``, where a load run keeps its own; else the scenario's).
A run that cannot be judged any more shows no verdict: strictly (``tillbench report``,
``compare``), `RunDirError` naming the file and the problem, as ``tillbench verify`` says;
leniently (the harness building the report of a run it could not verify), "not verified"
and why.

Which runs have a verdict: live runs, load runs with their truth, and simulations. Store
traffic alone (``--traffic-only``), sweeps and load runs without a POS truth have none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reports._errors import RunDirError
from reports._rundir import RunDir
from reports._serde import finite

__all__ = ["Shown", "has_verdict", "shown_verdict"]


@dataclass(frozen=True)
class Shown:
    """What to show as the run's verdict."""

    summary: Mapping[str, Any] | None
    """The re-derived verdict as ``summary.json`` would hold it; for a run without a
    verdict, its producer's summary (traffic, simulation figures) or None."""
    why_unverified: str = ""
    """Why there is no verdict (lenient mode)."""
    note: str = ""
    """Set when ``summary.json`` says otherwise than the tables do now."""


def has_verdict(run: RunDir) -> bool:
    """Whether the run is one verification judges (module docstring)."""
    if run.kind in {"sweep", "traffic"}:
        return False
    return not (run.meta.load is not None and not run.has("truth/transactions"))


def shown_verdict(run: RunDir, *, strict: bool) -> Shown:
    """The verdict to show for ``run`` (module docstring)."""
    recorded = run.summary
    if not has_verdict(run):
        return Shown(recorded)
    from reports._verify import judge

    objectives = _objectives(recorded)
    try:
        verdict = judge(run.path, scenario_slo=objectives)
    except RunDirError as error:
        if strict:
            raise RunDirError(f"{error} (the verdict cannot be re-derived)") from None
        return Shown(None, why_unverified=str(error))
    summary = finite(verdict.to_dict())
    return Shown(summary, note=_disagreement(recorded, summary))


def _objectives(recorded: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The ``slo`` section an earlier verification judged with, None if it kept none."""
    if not recorded or "passed" not in recorded:
        return None
    found = recorded.get("objectives")
    return found if isinstance(found, Mapping) and found else None


def _disagreement(recorded: Mapping[str, Any] | None, now: Mapping[str, Any]) -> str:
    if not recorded or not isinstance(recorded.get("passed"), bool):
        return ""
    then = {k: recorded.get(k) for k in ("passed", "findings")}
    if then == {k: now.get(k) for k in ("passed", "findings")}:
        return ""
    word = "passed" if recorded["passed"] else "failed"
    return (
        f"summary.json, from an earlier verification, says the run {word}; the tables say "
        "what this report shows now (tillbench verify RUN_DIR writes it again)"
    )
