"""The verdict of a live run: what verification found, as plain dataclasses.

Every figure named after DESIGN.md's definitions. `Verdict.to_dict` is what
``summary.json`` holds; `Verdict.from_dict` reads it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reports._serde import from_dict, to_dict

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "ApiCost",
    "CardLeak",
    "CardLeaks",
    "ConnectorExitEvent",
    "ConvergenceEvent",
    "DriftExplanation",
    "DriftPoint",
    "DuplicateNumbers",
    "DuplicateProfiles",
    "ExactlyOnce",
    "Failure",
    "OtherReference",
    "PairGap",
    "Percentiles",
    "PricingDiscrepancies",
    "SharedNumber",
    "SloResult",
    "StockGap",
    "StoreMismatch",
    "SyncLatency",
    "Verdict",
]


@dataclass(frozen=True)
class SloResult:
    """One objective of the scenario's ``slo`` section and whether the run met it."""

    name: str
    target: float | None
    """Seconds for durations, a count otherwise."""
    actual: float | None
    """None when the run gave nothing to measure (e.g. no document reached the ERP)."""
    passed: bool
    detail: str
    """Plain words; on failure, by how much."""


@dataclass(frozen=True)
class Failure:
    """How many transactions failed one way, a few of their ids, and counts per POS kind."""

    count: int = 0
    examples: list[str] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class OtherReference:
    """An ERP document holding a POS transaction's content (store, document kind, amounts,
    lines) under another external document number."""

    txn_id: str
    reference: str
    """The document's external document number."""
    document_id: str


@dataclass(frozen=True)
class StoreMismatch:
    """A document, line or stock movement of a POS transaction posted to another store."""

    txn_id: str
    pos_store: str
    erp_store: str
    where: str
    """Which ERP record: ``invoice D17``, ``line 2 of invoice D17``, ``journal line J4``."""


@dataclass(frozen=True)
class ExactlyOnce:
    """Every sale, return and post-void at the POS in the ERP exactly once."""

    expected: int
    """POS documents that must reach the ERP (cancels excluded)."""
    expected_by_kind: dict[str, int]
    posted: int
    """Posted ERP invoices and credit memos."""
    missing: Failure
    """No posted ERP document carries the txn_id."""
    unposted: Failure
    """Missing ones that exist in the ERP only as an unposted draft (a subset of missing)."""
    duplicated: Failure
    extra_documents: int
    """Posted documents beyond the first for duplicated transactions."""
    mismatched: Failure
    """Any of amount, tax, quantity, tender or document kind differs from the POS."""
    mismatched_amount: Failure
    """Net amount (total − tax) of the document or of a SKU's lines differs."""
    mismatched_tax: Failure
    mismatched_quantity: Failure
    mismatched_tender: Failure
    mismatched_kind: Failure
    per_line_tax_rounding: int
    """Tax mismatches whose lines each hold round(rate × net): tax rounded per line."""
    tender_checked: bool
    """False when the ERP documents carry no tender (``tender_kinds`` column)."""
    late: Failure
    """Posted after the convergence deadline (traffic end + slo.converge_within)."""
    deadline_t: float | None
    unexpected: Failure
    """Posted ERP documents matching no POS transaction, by external number or by content;
    examples ``EXT (document id)``, counts per document kind."""
    not_at_pos: Failure = field(default_factory=Failure)
    """Transactions absent from the POS's orders at the end (``pos/orders`` reference_id):
    lost before the connector could see them (the driver or the POS)."""
    duplicated_by_reference: Failure = field(default_factory=Failure)
    """Duplicated transactions with more than one posted document under their own external
    number (the rest of ``duplicated`` are reposts under another reference)."""
    reposted: Failure = field(default_factory=Failure)
    """Transactions posted again under another external number (a document with the same
    store, kind, amounts and lines): counted in ``duplicated``."""
    reposted_as: list[OtherReference] = field(default_factory=list)
    """The first of those documents, naming both references."""
    reposted_documents: int = 0
    """Documents posting a transaction again under another reference (in
    ``extra_documents``)."""
    misreferenced: Failure = field(default_factory=Failure)
    """Missing transactions (none under their own reference) whose content the ERP holds
    under another external number."""
    misreferenced_as: list[OtherReference] = field(default_factory=list)
    wrong_store: Failure = field(default_factory=Failure)
    """Transactions with a document, line or stock movement at another store than the POS's."""
    wrong_store_examples: list[StoreMismatch] = field(default_factory=list)
    store_checked: bool = False
    """False when the ERP records no store (no ``store_id`` in ``erp/documents``)."""


@dataclass(frozen=True)
class PairGap:
    """One store × SKU pair whose ledgers disagree, signed (first ledger − second)."""

    store_id: str
    sku: str
    value: float


@dataclass(frozen=True)
class DriftPoint:
    """Integration drift at one stock sample."""

    t: float
    sum_abs: float
    pairs_off: int
    share_off: float
    unreadable: int = 0
    """Pairs whose POS or ERP stock could not be read (an outage): not counted as 0 drift."""


@dataclass(frozen=True)
class StockGap:
    """Two stock ledgers compared per store × SKU (drift: ERP − POS; inaccuracy: POS − physical)."""

    pairs: int
    pairs_off: int
    share_off: float
    sum_abs: float
    max_abs: float
    examples: list[PairGap]
    """Largest gaps first."""
    source: str
    unreadable: int = 0
    """Pairs left out because a ledger could not be read (null in the samples)."""
    series: list[DriftPoint] = field(default_factory=list)


@dataclass(frozen=True)
class DriftExplanation:
    """Integration drift at the end set against what the ERP documents explain.

    Per store × SKU, the documents' stock effect (posted invoices −, credit memos +, and
    journal lines of POS transactions, at the store each was posted to) minus the POS
    transactions' (sales −, returns and post-voids +, at their store): drift a missing,
    doubled, misplaced or misstated document causes. The residual — drift minus that — is
    what the documents do not explain (stock written as absolute values, deltas lost)."""

    pairs_explained: int
    """Pairs off at the end whose drift the documents predict exactly."""
    units_explained: float
    residual_pairs: int
    """Pairs whose drift differs from what the documents predict."""
    residual_sum_abs: float
    residual_examples: list[PairGap]
    """Largest residuals first (residual = drift − explained)."""


@dataclass(frozen=True)
class ConnectorExitEvent:
    """An unexpected exit of the connector (``run.json`` ``connector_exits``)."""

    code: int
    """Exit status; negative: the signal that killed it."""
    t: float | None
    wall: float | None
    restarted: bool
    at: str
    """When, in words: ``11:42:10 (t=2530 s)``."""
    missing_after: int | None
    """Missing transactions completed at the POS after the exit (None: no time known)."""
    completed_after: int | None
    """Transactions the POS completed after the exit."""


@dataclass(frozen=True)
class ConvergenceEvent:
    """After traffic or a fault stops: how long until integration drift settled."""

    after: str
    end_t: float
    converged_t: float | None
    seconds: float | None
    """None: never within the samples."""
    target: float
    start_t: float | None = None
    """When the fault began (None for the end of traffic)."""
    """Drift sum (units) counted as settled: 0 after traffic; after a fault during traffic,
    the 90th percentile of the drift before it (sales in flight keep live drift above 0
    while traffic runs). Only samples where every pair was readable count."""


@dataclass(frozen=True)
class Percentiles:
    p50: float
    p95: float
    p99: float
    max: float


@dataclass(frozen=True)
class SyncLatency:
    """POS completion → ERP commit, per matched document; wall = sim / speed."""

    count: int
    speed: float | None
    """None for a simulated run (no wall clock, so no wall seconds)."""
    sim: Percentiles | None
    wall: Percentiles | None
    outside_faults_count: int = 0
    outside_faults: Percentiles | None = None
    """Sim seconds, over transactions completed outside every fault window and its recovery
    (until drift settled after it)."""


@dataclass(frozen=True)
class ApiCost:
    """ERP requests made with the connector's credential."""

    calls: int
    sales: int
    per_sale: float | None
    per_day: float | None
    """Calls per 24 h if this traffic ran in real time: calls × 86 400 / simulated seconds
    of traffic (the real-time factor; ERPs meter calls per real day)."""
    credential: str | None
    basis: str


@dataclass(frozen=True)
class PricingDiscrepancies:
    """Sale lines rung up at a price other than the ERP price in force at the time."""

    count: int
    checked: int
    examples: list[str]
    basis: str


@dataclass(frozen=True)
class DuplicateProfiles:
    """ERP customers sharing an email (case-insensitive)."""

    emails: int
    extra_profiles: int
    examples: list[str]


@dataclass(frozen=True)
class SharedNumber:
    """One ERP document number given to several documents, and their external numbers."""

    number: str
    references: list[str]
    """``external_document_number`` of each document holding it (POS txn ids)."""


@dataclass(frozen=True)
class DuplicateNumbers:
    """Posted ERP documents sharing a document number (the ERP's own numbering broke)."""

    numbers: int
    """Distinct numbers held by more than one document."""
    documents: int
    """Documents holding one of those numbers."""
    checked: int
    """Posted invoices and credit memos that carry a number."""
    examples: list[SharedNumber]
    """The first numbers in sort order, at most ten."""


@dataclass(frozen=True)
class CardLeak:
    """A card number found beyond the POS; only its last four digits are kept."""

    where: str
    """``erp``, ``connector log``, ``connector state`` or ``table``."""
    location: str
    """File, column and row, or file and line."""
    masked: str


@dataclass(frozen=True)
class CardLeaks:
    count: int
    findings: list[CardLeak]
    """At most the first 100 findings; ``count`` is the total."""
    scanned: list[str]


@dataclass(frozen=True)
class Verdict:
    """Everything verification concluded about one run directory."""

    passed: bool
    exit_code: int
    """0: every SLO met; 1: at least one failed."""
    run_dir: str
    diagnosis: list[str]
    """Plain words, one line per finding, each starting with its kind and a colon."""
    findings: list[str]
    """The failure kinds of the diagnosis as identifiers: missing, returns_ignored,
    not_at_the_pos, unposted, duplicated, tax_rounded_per_line, mismatched_tax,
    mismatched_amount, mismatched_quantity, mismatched_tender, mismatched_document_kind,
    posted_to_the_wrong_store, posted_twice_under_another_reference,
    posted_under_another_reference, unexpected, late, connector_exited,
    stock_drift_without_document_errors, drift, stock_drift_beyond_document_errors,
    drift_not_settled, slow_sync, card_leaks, pricing_discrepancies, duplicate_profiles,
    duplicate_numbers (empty: all good)."""
    slos: list[SloResult]
    exactly_once: ExactlyOnce
    drift: StockGap | None
    record_inaccuracy: StockGap | None
    convergence_s: float | None
    """Simulated seconds from traffic end until integration drift was 0 (None: never)."""
    convergence: list[ConvergenceEvent]
    sync_latency: SyncLatency
    api_calls_per_sale: float | None
    api_cost: ApiCost | None
    pricing_discrepancies: PricingDiscrepancies | None
    duplicate_profiles: DuplicateProfiles | None
    card_leaks: CardLeaks
    notes: list[str]
    """What could not be measured and why."""
    duplicate_numbers: DuplicateNumbers | None = None
    """None when ``erp/documents`` has no ``number`` column (unmeasured)."""
    drift_explained: DriftExplanation | None = None
    """None when drift or the stores of the documents were not measured."""
    connector_exits: list[ConnectorExitEvent] = field(default_factory=list)
    objectives: dict[str, Any] = field(default_factory=dict)
    """The ``slo`` section the run was judged against (the scenario's, or the one the caller
    gave): what the report re-derives the verdict with."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (what ``summary.json`` holds)."""
        return to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        """Read back what `to_dict` wrote."""
        return from_dict(cls, data)

    def render(self, console: Console) -> None:
        """Rich tables: verdict first, then SLOs, exactly-once, drift, latency."""
        from reports._render import render

        render(self, console)
