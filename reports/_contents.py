"""What ERP documents hold, against the truth: lines and tenders.

Lines are compared order-independently through signatures: per SKU a seeded random weight
for quantity and one for net amount, summed over a document's (or a transaction's) lines,
so lines split or merged per SKU still compare equal. `truth_sums` gives them per truth
transaction (a post-void carries the lines of the sale it reverses), `document_sums` per
ERP document, with each document's line tax: every line's tax within one minor unit of
rate × net, and whether every line holds round(rate × net) (tax rounded per line).
`compare_tenders` compares tender kinds when the ERP records them (``tender_kinds``,
comma-separated). The same signatures let verification find a POS transaction posted under
another reference (`reports._extras`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from reports._arrow import Groups, codes, floats, ints, strings, vocabulary
from reports._truth import KINDS, Truth

__all__ = ["DocumentSums", "Signatures", "compare_tenders", "document_sums", "truth_sums"]

_SIGNATURE_SEED = 20_261_123


@dataclass(frozen=True)
class Signatures:
    """Per SKU the seeded weights of quantity and net amount (one shared SKU vocabulary)."""

    vocab: pa.Array
    quantity: NDArray[np.uint64]
    net: NDArray[np.uint64]

    @classmethod
    def of(cls, *sku_columns: object) -> Signatures:
        vocab = vocabulary(*sku_columns)
        rng = np.random.default_rng(_SIGNATURE_SEED)
        h_qty = rng.integers(1, 2**63, size=len(vocab) + 1, dtype=np.int64).astype(np.uint64)
        h_net = rng.integers(1, 2**63, size=len(vocab) + 1, dtype=np.int64).astype(np.uint64)
        return cls(vocab, h_qty, h_net)


@dataclass(frozen=True)
class DocumentSums:
    """Per ERP document (rows of the invoices and credit memos): what its lines hold."""

    quantity: NDArray[np.uint64]
    """Quantity signature of its lines."""
    net: NDArray[np.uint64]
    """Net-amount signature (round(quantity × unit price) − discount per line)."""
    fractional: NDArray[np.bool_]
    """A line holds a quantity that is not a whole number."""
    tax: NDArray[np.float64]
    """Sum of the lines' tax (a line without tax makes it unequal to anything)."""
    tax_off: NDArray[np.bool_]
    """A line's tax is one minor unit or more from rate × net (only with tax rates)."""
    per_line: NDArray[np.bool_]
    """It has lines, each holding round(rate × net) (only with tax rates)."""


def truth_sums(
    truth: Truth, lines: pa.Table, line_owner: NDArray[np.int64], signatures: Signatures
) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """Quantity and net signatures per truth transaction (voided lines left out; a post-void
    holds the active lines of the sale it reverses)."""
    n = len(truth.ids)
    active = ~np.asarray(
        pc.fill_null(lines.column("voided"), False).to_numpy(zero_copy_only=False), dtype=bool
    )
    owner = np.where(active, line_owner, -1)
    sku = codes(lines.column("sku"), signatures.vocab)
    qty = ints(lines, "quantity")
    net = ints(lines, "net_minor")
    reversal = post_void_owner(truth, line_owner)
    extra = (reversal >= 0) & active
    owner = np.r_[owner, reversal[extra]]
    sku, qty, net = np.r_[sku, sku[extra]], np.r_[qty, qty[extra]], np.r_[net, net[extra]]
    keep = owner >= 0
    groups = Groups(owner[keep], n)
    return (
        groups.sum(_weigh(signatures.quantity[sku[keep]], qty[keep])),
        groups.sum(_weigh(signatures.net[sku[keep]], net[keep])),
    )


def post_void_owner(truth: Truth, line_owner: NDArray[np.int64]) -> NDArray[np.int64]:
    """Per truth line, the post-void (truth index) that reverses its sale; -1 if none."""
    n = len(truth.ids)
    post_voids = np.flatnonzero(truth.kind == KINDS.index("post_void"))
    if not len(post_voids):
        return np.full(len(line_owner), -1, dtype=np.int64)
    voided_sale = codes(truth.original.take(pa.array(post_voids)), truth.ids)
    post_void_of = np.full(n + 1, -1, dtype=np.int64)
    post_void_of[voided_sale[voided_sale >= 0]] = post_voids[voided_sale >= 0]
    return post_void_of[line_owner]


def document_sums(
    docs: pa.Table,
    document_lines: pa.Table,
    signatures: Signatures,
    tax_rates: pa.Table | None,
) -> DocumentSums:
    """`DocumentSums` for every row of ``docs``."""
    size = docs.num_rows
    doc_row = codes(document_lines.column("document_id"), strings(docs, "document_id"))
    mine = doc_row >= 0
    owner = doc_row[mine]
    sku = codes(document_lines.column("sku"), signatures.vocab)[mine]
    qty_f = floats(document_lines, "quantity")[mine]
    qty = np.rint(np.nan_to_num(qty_f)).astype(np.int64)
    net_f = (
        np.rint(qty_f * floats(document_lines, "unit_price_minor")[mine])
        - floats(document_lines, "discount_minor")[mine]
    )
    net = np.nan_to_num(net_f, nan=-1).astype(np.int64)
    tax = floats(document_lines, "tax_minor")[mine]
    groups = Groups(owner, size)
    tax_off = np.zeros(size, dtype=bool)
    per_line = np.zeros(size, dtype=bool)
    if tax_rates is not None:
        where = codes(signatures.vocab, strings(tax_rates, "sku"))
        rate_of = np.full(len(signatures.vocab) + 1, np.nan)
        rate_of[: len(signatures.vocab)][where >= 0] = floats(tax_rates, "rate")[where[where >= 0]]
        exact = rate_of[sku] * net
        off = np.abs(tax - exact) >= 1 - 1e-9
        tax_off = groups.sum(off.astype(np.int64)) > 0
        rounded = tax == np.floor(exact + 0.5 + 1e-9)
        not_rounded = groups.sum((~rounded).astype(np.int64))
        has_lines = groups.sum(np.ones(len(sku), dtype=np.int64)) > 0
        per_line = has_lines & (not_rounded == 0)
    return DocumentSums(
        quantity=groups.sum(_weigh(signatures.quantity[sku], qty)),
        net=groups.sum(_weigh(signatures.net[sku], net)),
        fractional=groups.sum((qty_f != qty).astype(np.int64)) > 0,
        tax=groups.sum(np.nan_to_num(tax, nan=-1e18)),
        tax_off=tax_off,
        per_line=per_line,
    )


def _weigh(weights: NDArray[np.uint64], values: NDArray[np.int64]) -> NDArray[np.uint64]:
    with np.errstate(over="ignore"):
        return weights * values.astype(np.uint64)


def _signature(
    owner: NDArray[np.int64], weights: NDArray[np.uint64], values: NDArray[np.int64], n: int
) -> NDArray[np.uint64]:
    return Groups(owner, n).sum(_weigh(weights, values))


def compare_tenders(
    truth: Truth, tenders: pa.Table, docs: pa.Table, txn_of_doc: NDArray[np.int64]
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
