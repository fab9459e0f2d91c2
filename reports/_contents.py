"""What each matched ERP document holds, against the truth: lines and tenders.

Per transaction, order-independently: quantity and net amount per SKU (a seeded hash
signature summed per document, so lines split or merged per SKU still compare equal),
each line's tax within one minor unit of rate × net, the lines' tax summing to the POS
tax, whether every line holds round(rate × net) (tax rounded per line), and the tender
kinds when the ERP records them (``tender_kinds``, comma-separated).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from reports._arrow import Groups, codes, floats, ints, strings, vocabulary
from reports._truth import KINDS, Truth

__all__ = ["compare_lines", "compare_tenders"]

_SIGNATURE_SEED = 20_261_123


def compare_lines(
    truth: Truth,
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
