"""How much of the integration drift at the end the ERP documents explain.

Per store × SKU, the stock the ERP documents moved — posted invoices take out (−quantity),
credit memos put back (+quantity), at the store of each line (else of the document), and
journal lines posted for a POS transaction move what they say — minus what the POS
transactions moved (sales −, returns +, post-voids put the voided sale's lines back; only
transactions that reached the POS, whose book the samples read). A document missing,
doubled, posted to another store or with other quantities moves the ERP book by exactly
that difference: the drift it *explains*. Compared with the drift of the last stock
sample (documents committed after it left out), the *residual* is drift no document
explains: stock written as absolute values, deltas lost. Non-document stock (receipts,
counts, the harness's deliveries) is left out on both sides: it moves both books alike when
the connector syncs it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from reports._arrow import codes, floats, strings, vocabulary
from reports._contents import post_void_owner
from reports._truth import Truth
from reports._verdict import DriftExplanation, PairGap

__all__ = ["explain"]

_TOLERANCE = 1e-9
EXAMPLES = 10
_SIGN = np.array([-1.0, 1.0, 1.0])
"""Stock sign per POS kind code: a sale takes out, a return and a post-void put back."""


def explain(
    truth: Truth,
    lines: pa.Table,
    line_owner: NDArray[np.int64],
    *,
    reached: NDArray[np.bool_],
    docs: pa.Table,
    doc_kind: NDArray[np.int64],
    posted: NDArray[np.bool_],
    document_lines: pa.Table,
    journals: pa.Table,
    journal_txn: NDArray[np.int64],
    samples: pa.Table,
) -> DriftExplanation | None:
    """Set the last sample's drift against the documents' (module docstring); None when
    the documents carry no store or nothing was sampled."""
    if "store_id" not in docs.column_names or not samples.num_rows:
        return None
    t = floats(samples, "t")
    sample_ids = samples.column("sample_id")
    rounds = codes(sample_ids, vocabulary(sample_ids))
    pos_qty, erp_qty = floats(samples, "pos_qty"), floats(samples, "erp_qty")
    last = rounds == rounds[int(np.argmax(t))]
    end_rows = np.flatnonzero(last & ~np.isnan(pos_qty) & ~np.isnan(erp_qty))
    end = samples.take(pa.array(end_rows))
    end_t = float(t.max())
    stores = vocabulary(truth.store, docs.column("store_id"), end.column("store_id"))
    skus = vocabulary(lines.column("sku"), document_lines.column("sku"), end.column("sku"))
    width = len(skus) + 1

    def pairs(store: NDArray[np.int64], sku: NDArray[np.int64]) -> NDArray[np.int64]:
        return np.where((store >= 0) & (sku >= 0), store * width + sku, -1)

    size = (len(stores) + 1) * width
    txn_store = codes(truth.store, stores)
    line_sku = codes(lines.column("sku"), skus)
    qty = floats(lines, "quantity")
    active = ~np.asarray(
        pc.fill_null(lines.column("voided"), False).to_numpy(zero_copy_only=False), dtype=bool
    )
    moved = np.zeros(size)
    for owner in (line_owner, post_void_owner(truth, line_owner)):
        use = active & (owner >= 0)
        use[use] = reached[owner[use]]
        key = pairs(txn_store[owner[use]], line_sku[use])
        sign = _SIGN[truth.kind[owner[use]]]
        _add(moved, key, -sign * qty[use])

    committed = floats(docs, "committed_t")
    in_time = posted & ~(committed > end_t)
    doc_store = strings(docs, "store_id")
    _add_lines(
        moved,
        pairs,
        docs,
        document_lines,
        use=in_time,
        sign=np.where(doc_kind == 0, -1.0, 1.0),
        store=doc_store,
        stores=stores,
        skus=skus,
    )
    if journals.num_rows:
        journal_t = floats(journals, "committed_t")
        _add_lines(
            moved,
            pairs,
            journals,
            document_lines,
            use=(journal_txn >= 0) & ~(journal_t > end_t),
            sign=np.ones(journals.num_rows),
            store=strings(journals, "store_id"),
            stores=stores,
            skus=skus,
        )

    observed = erp_qty[end_rows] - pos_qty[end_rows]
    end_key = pairs(codes(end.column("store_id"), stores), codes(end.column("sku"), skus))
    explained = np.where(end_key >= 0, moved[np.maximum(end_key, 0)], 0.0)
    residual = observed - explained
    off = np.abs(observed) > _TOLERANCE
    unexplained = np.abs(residual) > _TOLERANCE
    top = np.flatnonzero(unexplained)
    top = top[np.argsort(-np.abs(residual[top]), kind="stable")[:EXAMPLES]]
    chosen = pa.array(top, type=pa.int64())
    return DriftExplanation(
        pairs_explained=int((off & ~unexplained).sum()),
        units_explained=float(np.abs(observed[off & ~unexplained]).sum()),
        residual_pairs=int(unexplained.sum()),
        residual_sum_abs=float(np.abs(residual).sum()),
        residual_examples=[
            PairGap(str(store), str(sku), float(value))
            for store, sku, value in zip(
                strings(end, "store_id").take(chosen).to_pylist(),
                strings(end, "sku").take(chosen).to_pylist(),
                residual[top],
                strict=True,
            )
        ],
    )


def _add(into: NDArray[np.float64], key: NDArray[np.int64], units: NDArray[np.float64]) -> None:
    keep = key >= 0
    np.add.at(into, key[keep], np.nan_to_num(units[keep]))


def _add_lines(
    into: NDArray[np.float64],
    pairs: Callable[[NDArray[np.int64], NDArray[np.int64]], NDArray[np.int64]],
    heads: pa.Table,
    document_lines: pa.Table,
    *,
    use: NDArray[np.bool_],
    sign: NDArray[np.float64],
    store: pa.Array,
    stores: pa.Array,
    skus: pa.Array,
) -> None:
    """Add the lines of the ``use`` rows of ``heads`` (documents or journal lines), each at
    its own store when the ERP records one per line, else at its head's."""
    row = codes(document_lines.column("document_id"), strings(heads, "document_id"))
    mine = row >= 0
    mine[mine] = use[row[mine]]
    head_store = codes(store, stores)
    where = head_store[row[mine]]
    if "store_id" in document_lines.column_names:
        own = codes(document_lines.column("store_id"), stores)[mine]
        where = np.where(own >= 0, own, where)
    key = pairs(where, codes(document_lines.column("sku"), skus)[mine])
    _add(into, key, sign[row[mine]] * floats(document_lines, "quantity")[mine])
