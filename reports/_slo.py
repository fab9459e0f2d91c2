"""Compare a verdict's figures with the scenario's ``slo`` section.

Objectives, after scenarios' ``Slo`` (durations on the simulated clock)::

    sync_latency_p95, sync_latency_p99   seconds; null = not checked
    missing, duplicates, mismatched      counts allowed (transactions; duplicates include
                                         sales posted again under another reference)
    unexpected                           posted ERP documents matching no POS transaction
    wrong_store                          transactions with a document, line or stock
                                         movement at another store (checked when the ERP
                                         documents carry a store)
    converge_within                      seconds, for every convergence event
    card_leaks                           count allowed
    duplicate_numbers                    ERP document numbers shared by several documents
                                         (checked only when the ERP documents carry numbers)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports._durations import seconds
from reports._errors import RunDirError
from reports._verdict import (
    CardLeaks,
    ConvergenceEvent,
    DuplicateNumbers,
    ExactlyOnce,
    SloResult,
    SyncLatency,
)

__all__ = ["DEFAULTS", "evaluate", "slo_seconds"]

DEFAULTS: Mapping[str, Any] = {
    "sync_latency_p95": 60.0,
    "sync_latency_p99": None,
    "missing": 0,
    "duplicates": 0,
    "mismatched": 0,
    "unexpected": 0,
    "wrong_store": 0,
    "converge_within": 600.0,
    "card_leaks": 0,
    "duplicate_numbers": 0,
}
"""The defaults of scenarios' ``Slo`` (for a scenario.yaml without an ``slo`` section);
``unexpected``, ``wrong_store`` and ``duplicate_numbers`` are judged with 0 allowed until a
scenario sets them."""


def evaluate(
    slo: Mapping[str, Any],
    *,
    exactly_once: ExactlyOnce,
    latency: SyncLatency,
    convergence: list[ConvergenceEvent],
    drift_measured: bool,
    card_leaks: CardLeaks,
    duplicate_numbers: DuplicateNumbers | None = None,
) -> list[SloResult]:
    """One result per objective, in the order of `DEFAULTS` (unknown keys are ignored)."""
    merged = {**DEFAULTS, **{k: v for k, v in slo.items() if k in DEFAULTS}}
    results: list[SloResult] = []
    for name in ("sync_latency_p95", "sync_latency_p99"):
        target = slo_seconds(name, merged[name])
        if target is not None:
            results.append(_latency(name, target, latency))
    once = exactly_once
    results.append(_count("missing", merged, once.missing.count, "missing transaction", ""))
    results.append(
        _count("duplicates", merged, once.duplicated.count, "transaction", " posted twice")
    )
    results.append(_count("mismatched", merged, once.mismatched.count, "mismatched document", ""))
    results.append(
        _count(
            "unexpected",
            merged,
            once.unexpected.count,
            "ERP document",
            " matching no POS transaction",
        )
    )
    if once.store_checked:
        results.append(
            _count(
                "wrong_store",
                merged,
                once.wrong_store.count,
                "transaction",
                " posted to the wrong store",
            )
        )
    within = slo_seconds("converge_within", merged["converge_within"])
    if within is not None:
        results.append(_converge(within, convergence, drift_measured))
    results.append(_count("card_leaks", merged, card_leaks.count, "card number", " beyond the POS"))
    if duplicate_numbers is not None:
        results.append(
            _count(
                "duplicate_numbers",
                merged,
                duplicate_numbers.numbers,
                "ERP document number",
                " shared by several documents",
            )
        )
    return results


def slo_seconds(name: str, value: object) -> float | None:
    """An objective's duration in seconds; `RunDirError` naming ``slo.<name>`` if malformed."""
    try:
        return seconds(name, value)
    except ValueError as error:
        raise RunDirError(f"scenario {error}") from None


def _count(name: str, slo: Mapping[str, Any], actual: int, noun: str, after: str) -> SloResult:
    target = slo[name]
    what = f"{noun}{'' if actual == 1 else 's'}{after}"
    if isinstance(target, bool) or not isinstance(target, int) or target < 0:
        raise RunDirError(f"scenario slo.{name}: must be a count ≥ 0, got {target!r}")
    if actual <= target:
        return SloResult(name, target, actual, True, f"{actual} {what} (≤ {target} allowed)")
    return SloResult(
        name,
        target,
        actual,
        False,
        f"{actual} {what}, {actual - target} over the limit of {target}",
    )


def _latency(name: str, target: float, latency: SyncLatency) -> SloResult:
    label = name.rsplit("_", 1)[1]
    if latency.sim is None:
        return SloResult(name, target, None, False, "no document reached the ERP to measure")
    actual = latency.sim.p95 if label == "p95" else latency.sim.p99
    wall = "" if latency.speed is None else f" ({actual / latency.speed:.2f} s wall)"
    if actual <= target:
        detail = f"{label} {actual:.1f} s sim{wall} within {target:g} s"
        return SloResult(name, target, actual, True, detail)
    detail = f"{label} {actual:.1f} s sim{wall} exceeds {target:g} s by {actual - target:.1f} s"
    return SloResult(name, target, actual, False, detail)


def _converge(within: float, events: list[ConvergenceEvent], measured: bool) -> SloResult:
    name = "converge_within"
    if not measured:
        return SloResult(name, within, None, False, "no stock samples: drift was not measured")
    if not events:
        return SloResult(name, within, None, False, "run.json gives no traffic end to measure from")
    never = [e for e in events if e.seconds is None]
    if never:
        return SloResult(
            name,
            within,
            None,
            False,
            f"drift never settled after {never[0].after} (t={never[0].end_t:.0f} s); "
            f"{len(never)} of {len(events)} events never converged",
        )
    worst = max(events, key=lambda e: e.seconds or 0.0)
    actual = worst.seconds or 0.0
    if actual <= within:
        detail = f"worst {actual:.0f} s after {worst.after}, within {within:g} s"
        return SloResult(name, within, actual, True, detail)
    detail = f"{actual:.0f} s after {worst.after}, {actual - within:.0f} s over {within:g} s"
    return SloResult(name, within, actual, False, detail)
