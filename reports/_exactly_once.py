"""Exactly-once: every POS sale, return and post-void in the ERP once, and equal to it.

Matching is by ``external_document_number == txn_id`` over posted invoices and credit
memos (journals are stock movements, not documents of a transaction). A sale maps to an
invoice; a return and a post-void (the reversal of a sale already sent) to a credit memo.
Per transaction its earliest committed document is compared with the truth: net amount
(total − tax, so a tax error is not counted twice as an amount error) and tax; per line,
order-independently, quantity and net amount per SKU (a seeded hash signature summed per
document, so lines split or merged per SKU still compare equal), each line's tax within one
minor unit of rate × net; and the tender kinds when the ERP records them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from reports._arrow import Groups, codes, floats, ints, strings, vocabulary
from reports._verdict import ExactlyOnce, Failure

__all__ = ["EXAMPLES", "KINDS", "Matching", "check"]

KINDS = ("sale", "return", "post_void")
DOC_KINDS = ("invoice", "credit_memo")
EXPECTED_DOC = np.array([0, 1, 1])
"""Document kind code per POS kind code: sale → invoice, return/post_void → credit memo."""
EXAMPLES = 5
_SIGNATURE_SEED = 20_261_123


@dataclass(frozen=True)
class Matching:
    """The truth transactions and the posted document matched to each (for latency)."""

    t: NDArray[np.float64]
    kind: NDArray[np.int64]
    committed_t: NDArray[np.float64]
    """NaN where no posted document matched."""
    line_kind: NDArray[np.int64]
    """Per truth line, the `KINDS` code of its transaction (-1: a cancel's line)."""


@dataclass(frozen=True)
class _Truth:
    ids: pa.Array
    kind: NDArray[np.int64]
    t: NDArray[np.float64]
    total: NDArray[np.float64]
    tax: NDArray[np.float64]
    original: pa.Array
    """The sale a post-void reverses (null for other kinds)."""


def check(
    transactions: pa.Table,
    lines: pa.Table,
    documents: pa.Table,
    document_lines: pa.Table,
    *,
    tax_rates: pa.Table | None,
    tenders: pa.Table | None,
    deadline_t: float | None,
    pos_references: Any = None,
) -> tuple[ExactlyOnce, Matching]:
    """Compare the truth with the ERP documents; see the module docstring."""
    truth = _truth(transactions)
    n = len(truth.ids)
    doc_kind_all = codes(documents.column("kind"), pa.array(DOC_KINDS))
    docs = documents.filter(pa.array(doc_kind_all >= 0))
    doc_kind = doc_kind_all[doc_kind_all >= 0]
    status = pc.utf8_lower(pc.fill_null(strings(docs, "status"), ""))
    posted = ~np.asarray(pc.equal(status, "draft").to_numpy(zero_copy_only=False), dtype=bool)
    owner = codes(strings(docs, "external_document_number"), truth.ids)
    committed = floats(docs, "committed_t")

    matched_rows = np.flatnonzero(posted & (owner >= 0))
    counts = np.bincount(owner[matched_rows], minlength=n)
    missing = counts == 0
    draft = np.zeros(n, dtype=bool)
    draft[owner[~posted & (owner >= 0)]] = True
    primary = _primary(owner, committed, matched_rows, n)
    matched = primary >= 0
    rows = primary[matched]

    amount = np.zeros(n, dtype=bool)
    tax = np.zeros(n, dtype=bool)
    kind = np.zeros(n, dtype=bool)
    doc_tax = floats(docs, "tax_minor")
    doc_net = floats(docs, "total_minor") - doc_tax
    amount[matched] = doc_net[rows] != (truth.total - truth.tax)[matched]
    tax[matched] = doc_tax[rows] != truth.tax[matched]
    kind[matched] = doc_kind[rows] != EXPECTED_DOC[truth.kind[matched]]
    txn_of_doc = np.full(len(docs), -1, dtype=np.int64)
    txn_of_doc[rows] = np.flatnonzero(matched)
    line_owner = codes(lines.column("txn_id"), truth.ids)
    quantity, line_amount, line_tax, per_line = _compare_lines(
        truth, lines, line_owner, docs, document_lines, txn_of_doc, tax_rates, matched
    )
    amount |= line_amount
    tax |= line_tax
    tender = np.zeros(n, dtype=bool)
    tender_checked = tenders is not None and "tender_kinds" in docs.column_names
    if tenders is not None and tender_checked:
        tender = _compare_tenders(truth, tenders, docs, txn_of_doc) & matched
    late = np.zeros(n, dtype=bool)
    if deadline_t is not None:
        late[matched] = committed[rows] > deadline_t
    unexpected = posted & (owner < 0)
    external = strings(docs, "external_document_number")

    def failure(mask: NDArray[np.bool_]) -> Failure:
        return _failure(truth, mask)

    not_at_pos = np.zeros(n, dtype=bool)
    if pos_references is not None:
        seen = np.zeros(n + 1, dtype=bool)
        seen[codes(pos_references, truth.ids)] = True
        not_at_pos = ~seen[:n]
    mismatched = amount | tax | quantity | tender | kind
    result = ExactlyOnce(
        expected=n,
        expected_by_kind=_by_kind(truth.kind, np.ones(n, dtype=bool)),
        posted=int(posted.sum()),
        missing=failure(missing),
        unposted=failure(missing & draft),
        duplicated=failure(counts > 1),
        extra_documents=int(np.maximum(counts - 1, 0).sum()),
        mismatched=failure(mismatched),
        mismatched_amount=failure(amount),
        mismatched_tax=failure(tax),
        mismatched_quantity=failure(quantity),
        mismatched_tender=failure(tender),
        mismatched_kind=failure(kind),
        per_line_tax_rounding=int((per_line & tax).sum()),
        tender_checked=tender_checked,
        late=failure(late),
        deadline_t=deadline_t,
        unexpected=Failure(
            count=int(unexpected.sum()),
            examples=[
                str(v) for v in external.take(pa.array(np.flatnonzero(unexpected)[:EXAMPLES]))
            ],
            by_kind=_count_names(doc_kind[unexpected], DOC_KINDS),
        ),
        not_at_pos=failure(not_at_pos),
    )
    committed_of_txn = np.full(n, np.nan)
    committed_of_txn[matched] = committed[rows]
    line_kind = np.where(line_owner >= 0, truth.kind[line_owner], -1)
    return result, Matching(truth.t, truth.kind, committed_of_txn, line_kind)


def _truth(transactions: pa.Table) -> _Truth:
    kind_all = codes(transactions.column("kind"), pa.array(KINDS))
    expected = transactions.filter(pa.array(kind_all >= 0))
    return _Truth(
        ids=strings(expected, "txn_id"),
        kind=kind_all[kind_all >= 0],
        t=floats(expected, "t"),
        total=floats(expected, "total_minor"),
        tax=floats(expected, "tax_minor"),
        original=strings(expected, "original_txn_id"),
    )


def _primary(
    owner: NDArray[np.int64], committed: NDArray[np.float64], rows: NDArray[np.int64], n: int
) -> NDArray[np.int64]:
    """Per transaction, the row of its earliest committed posted document (-1: none)."""
    when = np.where(np.isnan(committed[rows]), np.inf, committed[rows])
    ordered = rows[np.lexsort((when, owner[rows]))]
    first = np.r_[True, owner[ordered][1:] != owner[ordered][:-1]] if len(ordered) else []
    primary = np.full(n, -1, dtype=np.int64)
    primary[owner[ordered[first]]] = ordered[first]
    return primary


def _compare_lines(
    truth: _Truth,
    lines: pa.Table,
    line_owner: NDArray[np.int64],
    docs: pa.Table,
    document_lines: pa.Table,
    txn_of_doc: NDArray[np.int64],
    tax_rates: pa.Table | None,
    matched: NDArray[np.bool_],
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
    """Quantity, amount and tax mismatches per transaction, and 'tax rounded per line'."""
    n = len(truth.ids)
    active = ~np.asarray(
        pc.fill_null(lines.column("voided"), False).to_numpy(zero_copy_only=False), dtype=bool
    )
    owner = np.where(active, line_owner, -1)
    sku_column = lines.column("sku")
    vocab = vocabulary(sku_column, document_lines.column("sku"))
    sku = codes(sku_column, vocab)
    qty = ints(lines, "quantity")
    net = ints(lines, "net_minor")
    post_voids = np.flatnonzero(truth.kind == KINDS.index("post_void"))
    if len(post_voids):
        voided_sale = codes(truth.original.take(pa.array(post_voids)), truth.ids)
        post_void_of = np.full(n + 1, -1, dtype=np.int64)
        post_void_of[voided_sale[voided_sale >= 0]] = post_voids[voided_sale >= 0]
        reversal = post_void_of[line_owner]
        extra = (reversal >= 0) & active
        owner = np.r_[owner, reversal[extra]]
        sku, qty, net = np.r_[sku, sku[extra]], np.r_[qty, qty[extra]], np.r_[net, net[extra]]
    rng = np.random.default_rng(_SIGNATURE_SEED)
    h_qty = rng.integers(1, 2**63, size=len(vocab) + 1, dtype=np.int64).astype(np.uint64)
    h_net = rng.integers(1, 2**63, size=len(vocab) + 1, dtype=np.int64).astype(np.uint64)
    keep = owner >= 0
    groups = Groups(owner[keep], n)
    truth_q = groups.sum(_weigh(h_qty[sku[keep]], qty[keep]))
    truth_n = groups.sum(_weigh(h_net[sku[keep]], net[keep]))

    doc_row = codes(document_lines.column("document_id"), strings(docs, "document_id"))
    erp_owner = np.full(len(doc_row), -1, dtype=np.int64)
    erp_owner[doc_row >= 0] = txn_of_doc[doc_row[doc_row >= 0]]
    erp = erp_owner >= 0
    e_sku = codes(document_lines.column("sku"), vocab)[erp]
    e_qty_f = floats(document_lines, "quantity")[erp]
    e_qty = np.rint(np.nan_to_num(e_qty_f)).astype(np.int64)
    e_net_f = (
        np.rint(e_qty_f * floats(document_lines, "unit_price_minor")[erp])
        - floats(document_lines, "discount_minor")[erp]
    )
    e_net = np.nan_to_num(e_net_f, nan=-1).astype(np.int64)
    e_tax = floats(document_lines, "tax_minor")[erp]
    e_groups = Groups(erp_owner[erp], n)
    erp_q = e_groups.sum(_weigh(h_qty[e_sku], e_qty))
    erp_n = e_groups.sum(_weigh(h_net[e_sku], e_net))

    fractional = e_groups.sum((e_qty_f != e_qty).astype(np.int64)) > 0
    quantity = matched & ((truth_q != erp_q) | fractional)
    amount = matched & (truth_n != erp_n)
    tax = matched & (e_groups.sum(np.nan_to_num(e_tax, nan=-1e18)) != truth.tax)
    per_line = np.zeros(n, dtype=bool)
    if tax_rates is not None:
        where = codes(vocab, strings(tax_rates, "sku"))
        rate_of = np.full(len(vocab) + 1, np.nan)
        rate_of[: len(vocab)][where >= 0] = floats(tax_rates, "rate")[where[where >= 0]]
        exact = rate_of[e_sku] * e_net
        off = np.abs(e_tax - exact) >= 1 - 1e-9
        tax |= matched & (e_groups.sum(off.astype(np.int64)) > 0)
        rounded = e_tax == np.floor(exact + 0.5 + 1e-9)
        not_rounded = e_groups.sum((~rounded).astype(np.int64))
        has_lines = e_groups.sum(np.ones(len(e_sku), dtype=np.int64)) > 0
        per_line = has_lines & (not_rounded == 0)
    return quantity, amount, tax, per_line


def _weigh(weights: NDArray[np.uint64], values: NDArray[np.int64]) -> NDArray[np.uint64]:
    with np.errstate(over="ignore"):
        return weights * values.astype(np.uint64)


def _signature(
    owner: NDArray[np.int64], weights: NDArray[np.uint64], values: NDArray[np.int64], n: int
) -> NDArray[np.uint64]:
    return Groups(owner, n).sum(_weigh(weights, values))


def _compare_tenders(
    truth: _Truth, tenders: pa.Table, docs: pa.Table, txn_of_doc: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Tender kinds per transaction against the ERP's comma-separated ``tender_kinds``."""
    n = len(truth.ids)
    erp_lists = pc.split_pattern(pc.fill_null(strings(docs, "tender_kinds"), ""), ",")
    erp_kinds = pc.utf8_trim_whitespace(pc.list_flatten(erp_lists))
    parents = np.asarray(pc.list_parent_indices(erp_lists).to_numpy(), dtype=np.int64)
    nonempty = np.asarray(pc.not_equal(erp_kinds, "").to_numpy(zero_copy_only=False), dtype=bool)
    vocab = vocabulary(strings(tenders, "kind"), erp_kinds)
    weights = (
        np.random.default_rng(_SIGNATURE_SEED + 1)
        .integers(1, 2**63, size=len(vocab) + 1, dtype=np.int64)
        .astype(np.uint64)
    )
    owner = codes(strings(tenders, "txn_id"), truth.ids)
    keep = owner >= 0
    ones = np.ones(int(keep.sum()), dtype=np.int64)
    truth_sig = _signature(
        owner[keep], weights[codes(strings(tenders, "kind"), vocab)[keep]], ones, n
    )
    e_owner = txn_of_doc[parents]
    use = nonempty & (e_owner >= 0)
    erp_sig = _signature(
        e_owner[use],
        weights[codes(erp_kinds, vocab)[use]],
        np.ones(int(use.sum()), dtype=np.int64),
        n,
    )
    return np.asarray(truth_sig != erp_sig, dtype=bool)


def _failure(truth: _Truth, mask: NDArray[np.bool_]) -> Failure:
    where = np.flatnonzero(mask)
    return Failure(
        count=len(where),
        examples=[str(v) for v in truth.ids.take(pa.array(where[:EXAMPLES]))],
        by_kind=_by_kind(truth.kind, mask),
    )


def _by_kind(kind: NDArray[np.int64], mask: NDArray[np.bool_]) -> dict[str, int]:
    return _count_names(kind[mask], KINDS)


def _count_names(values: NDArray[np.int64], names: tuple[str, ...]) -> dict[str, int]:
    counts = np.bincount(values[values >= 0], minlength=len(names))
    return {name: int(c) for name, c in zip(names, counts, strict=True) if c}
