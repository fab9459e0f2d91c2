"""Read the verification verdict from ``summary.json`` for display, whatever its detail.

The verdict is read as plain JSON (the report never imports the verification code), and
leniently: an exactly-once entry may be a count, a list of ids, or ``{count, examples}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Failure", "SloRow", "VerdictView", "read_verdict"]

_EXAMPLES = 5
_NOT_FAILURES = frozenset(
    [
        "expected",
        "posted",
        "expected_by_kind",
        "tender_checked",
        "deadline_t",
        "examples",
        "store_checked",
        "reposted_documents",
        "reposted_as",
        "misreferenced_as",
        "wrong_store_examples",
    ]
)
_PAIRS = {"reposted": "reposted_as", "misreferenced": "misreferenced_as"}
"""Failures whose examples name two references (``T1 as T1-R``)."""
_OTHER_CHECKS = ("card_leaks", "pricing_discrepancies")


@dataclass(frozen=True, slots=True)
class SloRow:
    name: str
    target: str
    actual: str
    passed: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Failure:
    """One exactly-once category: how many, and a few example ids."""

    kind: str
    count: int
    examples: list[str]


@dataclass(frozen=True, slots=True)
class VerdictView:
    status: str
    """pass | fail | not verified | traffic only | sweep"""
    headline: str
    slos: list[SloRow] = field(default_factory=list)
    exactly_once: list[Failure] = field(default_factory=list)
    diagnosis: list[str] = field(default_factory=list)
    expected: int | None = None
    note: str = ""
    """Said beside the verdict: ``summary.json`` disagrees with the tables."""


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _failure(kind: str, value: Any) -> Failure | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Failure(kind, value, [])
    if isinstance(value, list):
        return Failure(kind, len(value), [str(v) for v in value[:_EXAMPLES]])
    if isinstance(value, Mapping) and isinstance(value.get("count"), int):
        examples = value.get("examples", value.get("example_ids", value.get("ids", [])))
        shown = [str(v) for v in examples[:_EXAMPLES]] if isinstance(examples, list) else []
        return Failure(kind, int(value["count"]), shown)
    return None


def _exactly_once(section: Any) -> tuple[list[Failure], int | None]:
    if not isinstance(section, Mapping):
        return [], None
    expected = section.get("expected")
    rows = []
    for kind, value in section.items():
        if kind in _NOT_FAILURES or kind.endswith("_examples"):
            continue
        failure = _failure(str(kind), value)
        if failure is not None and not failure.examples:
            examples = section.get(f"{kind}_examples")
            if isinstance(examples, list):
                failure = Failure(failure.kind, failure.count, [str(e) for e in examples[:5]])
        if failure is not None:
            rows.append(_named(failure, section))
    return rows, expected if isinstance(expected, int) else None


def _named(failure: Failure, section: Mapping[str, Any]) -> Failure:
    """Examples that name both sides: ``T1 as T1-R``, ``T2 S0001 → S0002 (invoice D9)``."""
    if failure.kind in _PAIRS:
        pairs = section.get(_PAIRS[failure.kind])
        if isinstance(pairs, list):
            shown = [
                f"{p.get('txn_id')} as {p.get('reference')}"
                for p in pairs[:_EXAMPLES]
                if isinstance(p, Mapping)
            ]
            return Failure(failure.kind, failure.count, shown)
    if failure.kind == "wrong_store":
        moves = section.get("wrong_store_examples")
        if isinstance(moves, list):
            shown = [
                f"{m.get('txn_id')} {m.get('pos_store')} → {m.get('erp_store')} ({m.get('where')})"
                for m in moves[:_EXAMPLES]
                if isinstance(m, Mapping)
            ]
            return Failure(failure.kind, failure.count, shown)
    return failure


def _slo(row: Any) -> SloRow | None:
    if not isinstance(row, Mapping) or "name" not in row:
        return None
    return SloRow(
        name=str(row["name"]),
        target=_text(row.get("target")),
        actual=_text(row.get("actual")),
        passed=bool(row.get("passed")),
        detail=str(row.get("detail") or ""),
    )


def read_verdict(
    summary: Mapping[str, Any] | None, *, kind: str, why_unverified: str = "", note: str = ""
) -> VerdictView:
    """The verdict to show first in the report (``why_unverified``: why there is none;
    ``note``: said beside it)."""
    if kind == "sweep":
        return VerdictView("sweep", "A sweep: one run per point; the curves follow.")
    if summary is None:
        if why_unverified:
            return VerdictView("not verified", f"Not verified: {why_unverified}.")
        return VerdictView("not verified", "Not verified: this run directory has no summary.json.")
    if summary.get("kind") == "traffic" or kind == "traffic":
        return VerdictView(
            "traffic only",
            "Traffic only: no connector ran, so there is no verdict; the store traffic follows.",
        )
    if "slos" not in summary and "passed" not in summary:
        because = f" ({why_unverified})" if why_unverified else ""
        return VerdictView("not verified", f"Not verified: summary.json holds no verdict{because}.")
    slos = [row for row in map(_slo, summary.get("slos") or []) if row is not None]
    failures, expected = _exactly_once(summary.get("exactly_once"))
    for key in _OTHER_CHECKS:
        other = _failure(key.replace("_", " "), summary.get(key))
        if other is not None:
            failures.append(other)
    numbers = _shared_numbers(summary.get("duplicate_numbers"))
    if numbers is not None:
        failures.append(numbers)
    diagnosis = [str(line) for line in summary.get("diagnosis") or []]
    passed = summary.get("passed")
    if not isinstance(passed, bool):
        passed = bool(slos) and all(s.passed for s in slos)
    failed = [s for s in slos if not s.passed]
    if passed:
        headline = f"All {len(slos)} SLOs hold." if slos else "Passed."
    else:
        parts = [f"{s.name} ({s.detail or f'{s.actual} against {s.target}'})" for s in failed]
        headline = f"{len(failed)} of {len(slos)} SLOs failed: " + "; ".join(parts)
    return VerdictView(
        "pass" if passed else "fail", headline, slos, failures, diagnosis, expected, note
    )


def _shared_numbers(value: Any) -> Failure | None:
    """``duplicate_numbers`` of the verdict: each shared number with the documents holding it."""
    if not isinstance(value, Mapping) or not isinstance(value.get("numbers"), int):
        return None
    shown = []
    for entry in (value.get("examples") or [])[:_EXAMPLES]:
        if isinstance(entry, Mapping):
            refs = ", ".join(str(r) for r in entry.get("references") or [])
            shown.append(f"{entry.get('number')} ({refs})")
    return Failure("duplicate ERP document numbers", int(value["numbers"]), shown)
