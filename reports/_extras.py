"""Posted ERP documents whose external number is no POS transaction's: what each one is.

A document holding exactly what a POS transaction holds — same document kind, net amount,
tax and lines (quantity and net per SKU, `reports._contents` signatures), and the same
store when the document records one — is that transaction posted under another reference
(``<ref>-R`` after an ERP error, a fresh id after a crash). Which transaction, when several
hold the same content (single-item baskets repeat): first those whose id appears in the
document's external number, then one still missing under its own reference (not yet taken
by an earlier document), then the latest one completed before the document was committed.

- the transaction is posted under its own reference too, or an earlier document took it:
  *posted twice under another reference* (it counts in ``duplicated``);
- it is not: *posted under another reference* (it stays missing: the ERP cannot find it by
  its reference, which is what the contract keys on);
- no transaction holds that content: *unexpected* (an invoice for nothing).

Documents are taken in the order the ERP committed them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

__all__ = ["Extras", "classify"]

_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)


@dataclass(frozen=True)
class Extras:
    """Per ERP document row: what a document under no POS transaction's reference is."""

    target: NDArray[np.int64]
    """The truth transaction whose content it holds (-1: none, or not such a document)."""
    misreferenced: NDArray[np.bool_]
    """It is the first posting of a transaction missing under its own reference."""
    unexpected: NDArray[np.bool_]
    """No POS transaction holds its content."""


@dataclass(frozen=True)
class Content:
    """What a document holds, for the truth transactions or the ERP documents (row-wise)."""

    kind: NDArray[np.int64]
    """Document kind code (invoice 0, credit memo 1)."""
    net: NDArray[np.float64]
    tax: NDArray[np.float64]
    quantity: NDArray[np.uint64]
    lines_net: NDArray[np.uint64]
    store: pa.Array
    """Store per row (null: unknown, matches any store)."""

    def key(self) -> NDArray[np.uint64]:
        """One hash of kind, amounts and line signatures (the store is compared apart)."""
        with np.errstate(over="ignore", invalid="ignore"):
            net = np.nan_to_num(self.net, nan=-1.0).astype(np.int64).astype(np.uint64)
            tax = np.nan_to_num(self.tax, nan=-1.0).astype(np.int64).astype(np.uint64)
            kind = (self.kind + 1).astype(np.uint64)
            mixed = self.quantity ^ (self.lines_net * _MIX[0])
            mixed = mixed ^ (net * _MIX[1]) ^ (tax * _MIX[2]) ^ (kind * _MIX[3])
        return np.asarray(mixed, dtype=np.uint64)


def classify(
    truth: Content,
    documents: Content,
    *,
    truth_ids: pa.Array,
    truth_t: NDArray[np.float64],
    references: pa.Array,
    document_t: NDArray[np.float64],
    extra: NDArray[np.bool_],
    own_counts: NDArray[np.int64],
) -> Extras:
    """Classify the ``extra`` document rows (posted, external number no transaction's)."""
    size = len(extra)
    target = np.full(size, -1, dtype=np.int64)
    misreferenced = np.zeros(size, dtype=bool)
    unexpected = extra.copy()
    rows = np.flatnonzero(extra)
    if not len(rows):
        return Extras(target, misreferenced, unexpected)
    doc_keys = documents.key()
    truth_keys = truth.key()
    near = np.flatnonzero(np.isin(truth_keys, doc_keys[rows]))
    by_key: dict[int, list[int]] = {}
    for i in near.tolist():
        by_key.setdefault(int(truth_keys[i]), []).append(i)
    ids = truth_ids.take(pa.array(near)).to_pylist()
    id_of = dict(zip(near.tolist(), ids, strict=True))
    truth_store = truth.store.take(pa.array(near)).to_pylist()
    store_of = dict(zip(near.tolist(), truth_store, strict=True))
    refs = references.take(pa.array(rows)).to_pylist()
    stores = documents.store.take(pa.array(rows)).to_pylist()
    when = np.where(np.isnan(document_t[rows]), np.inf, document_t[rows])
    claimed: set[int] = set()
    for position in np.lexsort((rows, when)).tolist():
        row = int(rows[position])
        candidates = [
            i
            for i in by_key.get(int(doc_keys[row]), [])
            if _same(truth, i, documents, row)
            and (stores[position] is None or store_of[i] == stores[position])
        ]
        if not candidates:
            continue
        reference = refs[position] or ""
        named = [i for i in candidates if id_of[i] and id_of[i] in reference]
        pool = named or candidates
        lost = [i for i in pool if own_counts[i] == 0 and i not in claimed]
        chosen = _latest_before(lost or pool, truth_t, float(when[position]))
        target[row] = chosen
        unexpected[row] = False
        if own_counts[chosen] == 0 and chosen not in claimed:
            misreferenced[row] = True
        claimed.add(chosen)
    return Extras(target, misreferenced, unexpected)


def _same(truth: Content, i: int, documents: Content, row: int) -> bool:
    """Every component equal (the key is a hash)."""
    return bool(
        truth.kind[i] == documents.kind[row]
        and truth.net[i] == documents.net[row]
        and truth.tax[i] == documents.tax[row]
        and truth.quantity[i] == documents.quantity[row]
        and truth.lines_net[i] == documents.lines_net[row]
    )


def _latest_before(candidates: list[int], t: NDArray[np.float64], committed: float) -> int:
    """The candidate completed last before ``committed`` (else the earliest one)."""
    before = [i for i in candidates if t[i] <= committed]
    if before:
        return max(before, key=lambda i: (t[i], -i))
    return min(candidates, key=lambda i: (t[i], i))
