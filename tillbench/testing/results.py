"""`RunResult`: a live run's verdict as a test asserts on it.

Example::

    result = tillbench_run("python my_connector.py")
    assert result.passed, result.explain()
    assert result.objectives["duplicates"].actual == 0
    assert "missing" not in result.findings
    print(result.paths.report)
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

__all__ = ["RunPaths", "RunResult"]


@dataclasses.dataclass(frozen=True, slots=True)
class RunPaths:
    """The run directory and the files a reader (or a CI job) wants from it."""

    run_dir: Path
    report: Path | None
    """``report.html`` (None when it could not be built)."""
    junit: Path
    """``junit.xml``: one test case per objective."""
    summary: Path
    """``summary.json``: the verdict as JSON."""
    run_json: Path


@dataclasses.dataclass(frozen=True)
class RunResult:
    """One live run of a scenario against a connector, verified."""

    passed: bool
    """Every objective of the scenario met (False also when the run could not be verified)."""
    exit_code: int
    """What ``tillbench run`` would exit with: 0 pass, 1 an objective failed."""
    objectives: dict[str, Any]
    """``reports.SloResult`` by name (``missing``, ``duplicates``, ``mismatched``,
    ``sync_latency_p95``, ``converge_within``, ``card_leaks``, …): ``target``, ``actual``,
    ``passed``, ``detail``."""
    findings: list[str]
    """The verdict's failure kinds as identifiers (``missing``, ``duplicated``, ``late``,
    ``drift``, …; ``reports.Verdict.findings``); empty when all is well."""
    diagnosis: list[str]
    """The same in plain words, one line each."""
    paths: RunPaths
    transactions: int
    """POS transactions the run rang."""
    sent_ok: int
    """Of which the POS accepted."""
    converged: bool
    """Whether stock converged before the run ended."""
    verdict: Any | None
    """The whole ``reports.Verdict`` (exactly-once figures, drift, latency, API cost, …)."""
    error: str | None = None
    """Why the run could not be verified, when it could not."""

    @classmethod
    def from_live(cls, live: Any) -> RunResult:
        """From ``tillbench.live.LiveRun``."""
        run_dir = Path(live.run_dir)
        verdict = live.verdict
        objectives = {} if verdict is None else {slo.name: slo for slo in verdict.slos}
        return cls(
            passed=verdict is not None and bool(verdict.passed),
            exit_code=int(live.exit_code) if verdict is not None else 2,
            objectives=objectives,
            findings=[] if verdict is None else list(verdict.findings),
            diagnosis=[] if verdict is None else list(verdict.diagnosis),
            paths=RunPaths(
                run_dir=run_dir,
                report=live.report,
                junit=run_dir / "junit.xml",
                summary=run_dir / "summary.json",
                run_json=run_dir / "run.json",
            ),
            transactions=int(live.transactions),
            sent_ok=int(live.sent_ok),
            converged=bool(live.converged),
            verdict=verdict,
            error=live.verify_error,
        )

    @property
    def failed_objectives(self) -> list[Any]:
        return [slo for slo in self.objectives.values() if not slo.passed]

    def explain(self) -> str:
        """What went wrong (or that nothing did), in plain words, with where to look."""
        if self.error is not None:
            head = f"the run could not be verified: {self.error}"
        elif self.passed:
            head = f"every objective met ({len(self.objectives)})"
        else:
            failed = ", ".join(slo.name for slo in self.failed_objectives) or "none"
            head = f"objectives failed: {failed}"
        lines = [head]
        lines.extend(f"  {slo.name}: {slo.detail}" for slo in self.failed_objectives)
        lines.extend(f"  {line}" for line in self.diagnosis)
        lines.append(
            f"  {self.sent_ok}/{self.transactions} transactions accepted by the POS; "
            f"stock {'converged' if self.converged else 'did not converge'}"
        )
        report = self.paths.report or "(no report.html)"
        lines.append(f"  run directory: {self.paths.run_dir}  report: {report}")
        return "\n".join(lines)

    def assert_passed(self) -> None:
        """`AssertionError` with `explain` unless every objective was met."""
        __tracebackhide__ = True
        if not self.passed:
            raise AssertionError(self.explain())
