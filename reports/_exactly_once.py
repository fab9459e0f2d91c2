"""Exactly-once: every POS sale, return and post-void in the ERP once, and equal to it.

Matching is by ``external_document_number == txn_id`` over posted invoices and credit
memos (journals are stock movements, not documents of a transaction). A sale maps to an
invoice; a return and a post-void (the reversal of a sale already sent) to a credit memo.
Per transaction its earliest committed document is compared with the truth: net amount
(total − tax, so a tax error is not counted twice as an amount error), tax and document
kind here, lines and tenders in `reports._contents`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from reports._arrow import codes, floats, strings
from reports._contents import compare_lines, compare_tenders
from reports._truth import KINDS, Truth, read_truth
from reports._verdict import ExactlyOnce, Failure

__all__ = ["EXAMPLES", "KINDS", "Matching", "check"]

DOC_KINDS = ("invoice", "credit_memo")
EXPECTED_DOC = np.array([0, 1, 1])
"""Document kind code per POS kind code: sale → invoice, return/post_void → credit memo."""
EXAMPLES = 5


@dataclass(frozen=True)
class Matching:
    """The truth transactions and the posted document matched to each (for latency)."""

    t: NDArray[np.float64]
    kind: NDArray[np.int64]
    committed_t: NDArray[np.float64]
    """NaN where no posted document matched."""
    line_kind: NDArray[np.int64]
    """Per truth line, the `KINDS` code of its transaction (-1: a cancel's line)."""


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
    truth = read_truth(transactions)
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
    quantity, line_amount, line_tax, per_line = compare_lines(
        truth, lines, line_owner, docs, document_lines, txn_of_doc, tax_rates, matched
    )
    amount |= line_amount
    tax |= line_tax
    tender = np.zeros(n, dtype=bool)
    tender_checked = tenders is not None and "tender_kinds" in docs.column_names
    if tenders is not None and tender_checked:
        tender = compare_tenders(truth, tenders, docs, txn_of_doc) & matched
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


def _failure(truth: Truth, mask: NDArray[np.bool_]) -> Failure:
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
