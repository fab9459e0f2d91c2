"""Diagnosis: the verdict in plain words, naming the failure kind.

Each line starts with the failure kind and a colon (`findings` turns them into identifiers
such as ``tax_rounded_per_line``). Causes come before what they cause: the connector's exits
first, then every document-level error, then drift. Each planted bug has its own signature:

- the connector exited and was not restarted → "connector exited" (code, time, what went
  missing after it), before "missing";
- missing sales → "missing"; only returns missing (+ drift) → "returns ignored";
- a sale missing under its reference but posted under another → "posted under another
  reference"; posted under its reference and again under another → "posted twice under
  another reference" (both name the two references);
- one transaction posted twice under its reference → "duplicated";
- a document, line or stock movement at another store than the POS's → "posted to the
  wrong store", naming both stores;
- posted documents matching no POS transaction, by reference or content → "unexpected";
- tax differing while each line holds round(rate × net) → "tax rounded per line"
  (other tax differences → "mismatched tax");
- drift with every document posted exactly once → "stock drift without document errors"
  (stock written as absolute values or deltas lost), with the pairs; drift with document
  errors → "drift", saying how much of it the documents explain (`reports._explained`),
  and "stock drift beyond document errors" only for what they do not;
- card numbers in the ERP or connector logs → "card leaks";
- posted ERP documents sharing a document number → "duplicate numbers" (the ERP's own
  numbering, e.g. Tryton on SQLite with concurrent writers), naming the numbers;
- a latency objective missed → "slow sync", saying whether the transactions outside fault
  windows meet it (an outage's backlog) or not (a slow connector).
"""

from __future__ import annotations

from collections.abc import Sequence

from reports._exits import exit_status
from reports._verdict import (
    CardLeaks,
    ConnectorExitEvent,
    ConvergenceEvent,
    DriftExplanation,
    DuplicateNumbers,
    DuplicateProfiles,
    ExactlyOnce,
    Failure,
    OtherReference,
    PairGap,
    PricingDiscrepancies,
    SloResult,
    StockGap,
    SyncLatency,
)

__all__ = ["ALL_GOOD", "diagnose", "findings"]

ALL_GOOD = "all good"


def diagnose(
    once: ExactlyOnce,
    *,
    drift: StockGap | None,
    convergence: list[ConvergenceEvent],
    card_leaks: CardLeaks,
    pricing: PricingDiscrepancies | None,
    profiles: DuplicateProfiles | None,
    latency: SyncLatency | None = None,
    slos: Sequence[SloResult] = (),
    numbers: DuplicateNumbers | None = None,
    explanation: DriftExplanation | None = None,
    exits: Sequence[ConnectorExitEvent] = (),
) -> list[str]:
    """Plain-word lines, causes first; one reassuring line when nothing is wrong."""
    lines: list[str] = []
    lines += [_exit(event) for event in exits]
    lines += _missing(once)
    if once.misreferenced.count:
        lines.append(
            f"posted under another reference: of the missing, "
            f"{_n(once.misreferenced.count, 'transaction')} the ERP holds only under another "
            "external document number (same store, kind, amounts and lines), e.g. "
            f"{_as(once.misreferenced_as)}"
        )
    if numbers is not None and numbers.numbers:
        named = "; ".join(
            f"{shared.number} ({', '.join(shared.references)})" for shared in numbers.examples
        )
        more = "" if numbers.numbers <= len(numbers.examples) else " …"
        lines.append(
            f"duplicate numbers: the ERP gave {_n(numbers.numbers, 'document number')} to "
            f"more than one posted document ({numbers.documents} documents): {named}{more} — "
            "its numbering is not safe with concurrent writers"
        )
    lines += _wrong_store(once)
    if once.reposted.count:
        lines.append(
            f"posted twice under another reference: {_n(once.reposted.count, 'transaction')} "
            "posted again under another external document number (same store, kind, amounts "
            f"and lines; counted in duplicated), e.g. {_as(once.reposted_as)}"
        )
    same = once.duplicated_by_reference
    if same.count:
        extra = once.extra_documents - once.reposted_documents
        lines.append(
            f"duplicated: {_n(same.count, 'transaction')} posted more than once "
            f"({_n(extra, 'extra ERP document')}), e.g. {_ids(same)}"
        )
    lines += _mismatched(once)
    if once.unexpected.count:
        kinds = ", ".join(
            f"{n} {kind.replace('_', ' ')}" for kind, n in sorted(once.unexpected.by_kind.items())
        )
        lines.append(
            f"unexpected: {_n(once.unexpected.count, 'ERP document')} ({kinds}) matching no POS "
            f"transaction by reference or content, e.g. {_ids(once.unexpected)}"
        )
    if once.late.count:
        lines.append(
            f"late: {_n(once.late.count, 'document')} posted after the convergence deadline "
            f"(t={once.deadline_t:.0f} s), e.g. {_ids(once.late)}"
        )
    lines += _drift(once, drift, convergence, explanation)
    lines += _slow(latency, slos)
    if card_leaks.count:
        places = sorted({leak.where for leak in card_leaks.findings})
        first = card_leaks.findings[0]
        lines.append(
            f"card leaks: {_n(card_leaks.count, 'card number')} found beyond the POS "
            f"({', '.join(places)}), e.g. {first.masked} in {first.location}"
        )
    if pricing is not None and pricing.count:
        lines.append(
            f"pricing discrepancies: {_n(pricing.count, 'sale line')} rung up at a price the "
            f"ERP did not hold at the time, e.g. {pricing.examples[0]}"
        )
    if profiles is not None and profiles.emails:
        lines.append(
            f"duplicate profiles: {_n(profiles.emails, 'email')} shared by more than one ERP "
            f"customer ({_n(profiles.extra_profiles, 'extra profile')}), "
            f"e.g. {profiles.examples[0]}"
        )
    if not lines:
        lines.append(
            f"{ALL_GOOD}: all {once.expected} POS transactions reached the ERP exactly once "
            "and match; stock drift settled and no card number left the POS"
        )
    return lines


def findings(diagnosis: list[str]) -> list[str]:
    """The failure kinds named by the diagnosis, as identifiers (``tax_rounded_per_line``)."""
    kinds = [line.split(":", 1)[0].lower().replace(" ", "_") for line in diagnosis]
    return [kind for kind in kinds if kind != ALL_GOOD.replace(" ", "_")]


def _missing(once: ExactlyOnce) -> list[str]:
    missing = once.missing
    if not missing.count:
        return []
    returns = missing.by_kind.get("return", 0)
    all_returns = once.expected_by_kind.get("return", 0)
    lines: list[str] = []
    credit = returns + missing.by_kind.get("post_void", 0)
    if returns and returns == all_returns and credit == missing.count:
        lines.append(
            f"returns ignored: none of the {all_returns} returns has a credit memo in the ERP "
            f"(missing credit memos), e.g. {_ids(missing)}"
        )
    else:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(missing.by_kind.items()))
        lines.append(
            f"missing: {missing.count} of {once.expected} POS transactions never reached the "
            f"ERP ({kinds}), e.g. {_ids(missing)}"
        )
    lost = once.not_at_pos
    if lost.count:
        lines.append(
            f"not at the POS: {_n(lost.count, 'transaction')} never reached the POS's orders (the "
            f"driver or the POS lost them; no connector could post them), e.g. {_ids(lost)}"
        )
    if once.unposted.count:
        lines.append(
            f"unposted: of the missing, {_n(once.unposted.count, 'transaction')} reached the "
            f"ERP only as a draft never posted, e.g. {_ids(once.unposted)}"
        )
    return lines


def _exit(event: ConnectorExitEvent) -> str:
    head = f"connector exited: the connector exited with {exit_status(event.code)} at {event.at}"
    if event.missing_after is None:
        lost = "the run recorded no time for it"
    elif event.missing_after:
        lost = (
            f"{_n(event.missing_after, 'transaction')} missing after that (of "
            f"{event.completed_after} the POS completed)"
        )
    else:
        lost = "nothing went missing after it"
    if event.restarted:
        return f"{head} and was restarted; {lost}"
    return f"{head} and was not restarted: {lost}"


def _wrong_store(once: ExactlyOnce) -> list[str]:
    wrong = once.wrong_store
    if not wrong.count:
        return []
    shown = "; ".join(
        f"{m.txn_id} sold at {m.pos_store}, {m.where} posted to {m.erp_store}"
        for m in once.wrong_store_examples[:3]
    )
    return [
        f"posted to the wrong store: {_n(wrong.count, 'transaction')} with a document or stock "
        f"movement at another store than the POS's, e.g. {shown}"
    ]


def _document_errors(once: ExactlyOnce) -> list[str]:
    """The document-level errors found, in words (what can move the ERP's stock wrongly)."""
    found = [
        ("missing", once.missing.count),
        ("posted to the wrong store", once.wrong_store.count),
        ("posted twice under another reference", once.reposted.count),
        ("duplicated", once.duplicated_by_reference.count),
        ("mismatched quantity", once.mismatched_quantity.count),
        ("unexpected documents", once.unexpected.count),
    ]
    names = [name for name, count in found if count]
    if once.mismatched.count > once.mismatched_quantity.count:
        names.append("mismatched amounts")
    return names


def _mismatched(once: ExactlyOnce) -> list[str]:
    lines: list[str] = []
    tax = once.mismatched_tax
    if tax.count and once.per_line_tax_rounding == tax.count:
        lines.append(
            f"tax rounded per line: {_n(tax.count, 'document')} with a tax total other than "
            "the POS's (mismatched tax), each line holding round(rate × net) instead of its share "
            f"of the document's tax, e.g. {_ids(tax)}"
        )
    elif tax.count:
        lines.append(
            f"mismatched tax: {_n(tax.count, 'document')} with a tax other than the POS's, "
            f"e.g. {_ids(tax)}"
        )
    for label, failure in (
        ("amount", once.mismatched_amount),
        ("quantity", once.mismatched_quantity),
        ("tender", once.mismatched_tender),
        ("document kind", once.mismatched_kind),
    ):
        if failure.count:
            lines.append(
                f"mismatched {label}: {_n(failure.count, 'document')} differing from the POS in "
                f"{label}, e.g. {_ids(failure)}"
            )
    return lines


def _drift(
    once: ExactlyOnce,
    drift: StockGap | None,
    convergence: list[ConvergenceEvent],
    explanation: DriftExplanation | None,
) -> list[str]:
    if drift is None or not drift.pairs_off:
        return [
            f"drift not settled: drift did not settle after {e.after} within the samples"
            for e in convergence
            if e.seconds is None and drift is not None
        ]
    pairs = _pairs(drift.examples)
    errors = _document_errors(once)
    off = _n(drift.pairs_off, "store×SKU pair")
    differs = (
        f"the ERP book differs from the POS book in {off} ({drift.sum_abs:g} units) at the end"
    )
    if not errors:
        return [
            f"stock drift without document errors: every transaction was posted exactly once, "
            f"yet {differs} — stock was written as absolute values or deltas were lost: {pairs}"
        ]
    causes = ", ".join(errors)
    if explanation is None:
        return [f"drift: {differs}, following the document errors above ({causes}): {pairs}"]
    if not explanation.residual_pairs:
        return [
            f"drift: {differs}, all of it explained by the document errors above ({causes}): "
            f"{pairs}"
        ]
    lines = [
        f"drift: {differs}; the document errors above ({causes}) explain "
        f"{_n(explanation.pairs_explained, 'pair')} ({explanation.units_explained:g} units) "
        f"of it: {pairs}"
    ]
    lines.append(
        f"stock drift beyond document errors: "
        f"{_n(explanation.residual_pairs, 'store×SKU pair')} "
        f"({explanation.residual_sum_abs:g} units) differ by more than the documents explain — "
        f"stock was written as absolute values or deltas were lost: "
        f"{_pairs(explanation.residual_examples)}"
    )
    return lines


def _pairs(examples: Sequence[PairGap]) -> str:
    return ", ".join(f"{p.store_id}/{p.sku} {p.value:+g}" for p in examples[:5])


def _slow(latency: SyncLatency | None, slos: Sequence[SloResult]) -> list[str]:
    lines: list[str] = []
    for slo in slos:
        if slo.passed or not slo.name.startswith("sync_latency_") or latency is None:
            continue
        line = f"slow sync: {slo.detail}"
        quiet = latency.outside_faults
        if quiet is not None and slo.target is not None:
            label = slo.name.rsplit("_", 1)[1]
            value = quiet.p95 if label == "p95" else quiet.p99
            if value <= slo.target:
                line += (
                    f"; outside faults and their recovery {label} is {value:.1f} s, so the "
                    "fault backlog is what breaks the objective"
                )
            else:
                line += f"; even outside faults and their recovery {label} is {value:.1f} s"
        lines.append(line)
    return lines


def _n(count: int, noun: str) -> str:
    """``1 transaction``, ``3 transactions``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _ids(failure: Failure) -> str:
    return ", ".join(failure.examples)


def _as(references: Sequence[OtherReference]) -> str:
    """``T1 as T1-R, T7 as T7-R``."""
    return ", ".join(f"{r.txn_id} as {r.reference}" for r in references[:5])
