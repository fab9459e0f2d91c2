"""Exactly-once: every POS sale, return and post-void in the ERP once, and equal to it.

Matching is by ``external_document_number == txn_id`` over posted invoices and credit
memos (journals are stock movements, not documents of a transaction). A sale maps to an
invoice; a return and a post-void (the reversal of a sale already sent) to a credit memo.
Per transaction its earliest committed document is compared with the truth: net amount
(total − tax, so a tax error is not counted twice as an amount error), tax and document
kind here, lines and tenders through `reports._contents`. Posted documents under no
transaction's reference are classified by content (`reports._extras`): the same sale under
another reference, or unexpected. Stores are compared on every document, line and journal
line of a transaction (`reports._stores`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from reports._arrow import codes, floats, strings
from reports._contents import Signatures, compare_tenders, document_sums, truth_sums
from reports._extras import Content, classify
from reports._stores import journal_owner, wrong_store
from reports._truth import KINDS, Truth, read_truth
from reports._verdict import ExactlyOnce, Failure, OtherReference

__all__ = ["EXAMPLES", "KINDS", "Matching", "check"]

DOC_KINDS = ("invoice", "credit_memo")
EXPECTED_DOC = np.array([0, 1, 1])
"""Document kind code per POS kind code: sale → invoice, return/post_void → credit memo."""
EXAMPLES = 5


@dataclass(frozen=True)
class Matching:
    """The truth transactions and the posted document matched to each (for latency), and
    what the drift explanation needs (`reports._explained`)."""

    t: NDArray[np.float64]
    kind: NDArray[np.int64]
    committed_t: NDArray[np.float64]
    """NaN where no posted document matched."""
    line_kind: NDArray[np.int64]
    """Per truth line, the `KINDS` code of its transaction (-1: a cancel's line)."""
    truth: Truth
    line_owner: NDArray[np.int64]
    """Per truth line, its transaction (-1: a cancel's line)."""
    reached: NDArray[np.bool_]
    """Per transaction: it reached the POS (all, when ``pos/orders`` is absent)."""
    docs: pa.Table
    """The invoices and credit memos of ``erp/documents``."""
    doc_kind: NDArray[np.int64]
    posted: NDArray[np.bool_]
    journals: pa.Table
    """The journal lines of ``erp/documents``."""
    journal_txn: NDArray[np.int64]
    """Per journal line, the transaction it moves stock for (-1: none)."""


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
    journals = documents.filter(pc.equal(pc.fill_null(strings(documents, "kind"), ""), "journal"))
    doc_kind = doc_kind_all[doc_kind_all >= 0]
    status = pc.utf8_lower(pc.fill_null(strings(docs, "status"), ""))
    posted = ~np.asarray(pc.equal(status, "draft").to_numpy(zero_copy_only=False), dtype=bool)
    external = strings(docs, "external_document_number")
    owner = codes(external, truth.ids)
    committed = floats(docs, "committed_t")
    line_owner = codes(lines.column("txn_id"), truth.ids)
    signatures = Signatures.of(lines.column("sku"), document_lines.column("sku"))
    truth_q, truth_n = truth_sums(truth, lines, line_owner, signatures)
    sums = document_sums(docs, document_lines, signatures, tax_rates)
    doc_tax = floats(docs, "tax_minor")
    doc_net = floats(docs, "total_minor") - doc_tax

    matched_rows = np.flatnonzero(posted & (owner >= 0))
    own_counts = np.bincount(owner[matched_rows], minlength=n)
    extras = classify(
        Content(
            EXPECTED_DOC[truth.kind],
            truth.total - truth.tax,
            truth.tax,
            truth_q,
            truth_n,
            truth.store,
        ),
        Content(doc_kind, doc_net, doc_tax, sums.quantity, sums.net, _stores_of(docs)),
        truth_ids=truth.ids,
        truth_t=truth.t,
        references=external,
        document_t=committed,
        extra=posted & (owner < 0),
        own_counts=own_counts,
    )
    again = np.flatnonzero(extras.target >= 0)
    counts = own_counts + np.bincount(extras.target[again], minlength=n)
    reposted_rows = again[~extras.misreferenced[again]]
    reposted = np.zeros(n, dtype=bool)
    reposted[extras.target[reposted_rows]] = True
    misreferenced = np.zeros(n, dtype=bool)
    misreferenced_rows = again[extras.misreferenced[again]]
    misreferenced[extras.target[misreferenced_rows]] = True
    missing = own_counts == 0
    draft = np.zeros(n, dtype=bool)
    draft[owner[~posted & (owner >= 0)]] = True
    primary = _primary(owner, committed, matched_rows, n)
    matched = primary >= 0
    rows = primary[matched]

    amount = np.zeros(n, dtype=bool)
    tax = np.zeros(n, dtype=bool)
    kind = np.zeros(n, dtype=bool)
    quantity = np.zeros(n, dtype=bool)
    per_line = np.zeros(n, dtype=bool)
    amount[matched] = (doc_net[rows] != (truth.total - truth.tax)[matched]) | (
        sums.net[rows] != truth_n[matched]
    )
    tax[matched] = (
        (doc_tax[rows] != truth.tax[matched])
        | (sums.tax[rows] != truth.tax[matched])
        | sums.tax_off[rows]
    )
    kind[matched] = doc_kind[rows] != EXPECTED_DOC[truth.kind[matched]]
    quantity[matched] = (sums.quantity[rows] != truth_q[matched]) | sums.fractional[rows]
    per_line[matched] = sums.per_line[rows]
    txn_of_doc = np.full(len(docs), -1, dtype=np.int64)
    txn_of_doc[rows] = np.flatnonzero(matched)
    tender = np.zeros(n, dtype=bool)
    tender_checked = tenders is not None and "tender_kinds" in docs.column_names
    if tenders is not None and tender_checked:
        tender = compare_tenders(truth, tenders, docs, txn_of_doc) & matched
    late = np.zeros(n, dtype=bool)
    if deadline_t is not None:
        late[matched] = committed[rows] > deadline_t
    unexpected = extras.unexpected

    def failure(mask: NDArray[np.bool_]) -> Failure:
        return _failure(truth, mask)

    reached = np.ones(n, dtype=bool)
    if pos_references is not None:
        seen = np.zeros(n + 1, dtype=bool)
        seen[codes(pos_references, truth.ids)] = True
        reached = seen[:n]
    not_at_pos = ~reached
    posting_of_doc = np.where(posted & (owner >= 0), owner, extras.target)
    journal_txn = journal_owner(journals, truth)
    misplaced = wrong_store(
        truth,
        docs,
        document_lines,
        journals,
        txn_of_doc=posting_of_doc,
        journal_txn=journal_txn,
        limit=EXAMPLES,
    )
    mismatched = amount | tax | quantity | tender | kind
    shown = np.flatnonzero(unexpected)[:EXAMPLES]
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
                f"{ext or '(no external number)'} ({doc_id})"
                for ext, doc_id in zip(
                    external.take(pa.array(shown)).to_pylist(),
                    strings(docs, "document_id").take(pa.array(shown)).to_pylist(),
                    strict=True,
                )
            ],
            by_kind=_count_names(doc_kind[unexpected], DOC_KINDS),
        ),
        not_at_pos=failure(not_at_pos),
        duplicated_by_reference=failure(own_counts > 1),
        reposted=failure(reposted),
        reposted_as=_other_references(truth, docs, external, extras.target, reposted_rows),
        reposted_documents=len(reposted_rows),
        misreferenced=failure(misreferenced),
        misreferenced_as=_other_references(
            truth, docs, external, extras.target, misreferenced_rows
        ),
        wrong_store=failure(misplaced.mask),
        wrong_store_examples=misplaced.examples,
        store_checked=misplaced.checked,
    )
    committed_of_txn = np.full(n, np.nan)
    committed_of_txn[matched] = committed[rows]
    line_kind = np.where(line_owner >= 0, truth.kind[line_owner], -1)
    return result, Matching(
        truth.t,
        truth.kind,
        committed_of_txn,
        line_kind,
        truth=truth,
        line_owner=line_owner,
        reached=reached,
        docs=docs,
        doc_kind=doc_kind,
        posted=posted,
        journals=journals,
        journal_txn=journal_txn,
    )


def _stores_of(docs: pa.Table) -> pa.Array:
    if "store_id" in docs.column_names:
        return strings(docs, "store_id")
    return pa.nulls(docs.num_rows, pa.string())


def _other_references(
    truth: Truth,
    docs: pa.Table,
    external: pa.Array,
    target: NDArray[np.int64],
    rows: NDArray[np.int64],
) -> list[OtherReference]:
    """The first documents of ``rows`` (in transaction order), naming both references."""
    first = rows[np.argsort(target[rows], kind="stable")][:EXAMPLES]
    chosen = pa.array(first, type=pa.int64())
    return [
        OtherReference(str(txn), str(ext), str(doc))
        for txn, ext, doc in zip(
            truth.ids.take(pa.array(target[first])).to_pylist(),
            external.take(chosen).to_pylist(),
            strings(docs, "document_id").take(chosen).to_pylist(),
            strict=True,
        )
    ]


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
