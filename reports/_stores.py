"""Store against store: every ERP document, line and stock movement of a POS transaction
at the store where the POS recorded it.

Compared where both sides are known: the truth's ``store_id`` per transaction against
``erp/documents.store_id`` of each posted invoice or credit memo (matched by reference or
by content), ``erp/document_lines.store_id`` of each of its lines when the ERP records a
location per line, and the ``store_id`` of each journal line posted for the transaction — a
journal line whose external number is the transaction's id, or starts with it and a colon
(``<txn_id>:<line>``, the hybrid mode's real-time stock). A null store is unknown, not
wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from reports._arrow import codes, strings
from reports._truth import Truth
from reports._verdict import StoreMismatch

__all__ = ["Misplaced", "journal_owner", "wrong_store"]

_KIND_WORDS = {"invoice": "invoice", "credit_memo": "credit memo"}
_Describe = Callable[[NDArray[np.int64]], list[str]]
"""Names the records at the given positions."""


@dataclass(frozen=True)
class Misplaced:
    """Transactions with something posted at another store, and the first few records."""

    mask: NDArray[np.bool_]
    examples: list[StoreMismatch]
    checked: bool


def journal_owner(journals: pa.Table, truth: Truth) -> NDArray[np.int64]:
    """Per journal row, the truth transaction it moves stock for (-1: none)."""
    if not journals.num_rows:
        return np.zeros(0, dtype=np.int64)
    external = pc.fill_null(strings(journals, "external_document_number"), "")
    head = pc.list_element(pc.split_pattern(external, ":", max_splits=1), 0)
    whole = codes(external, truth.ids)
    return np.where(whole >= 0, whole, codes(head, truth.ids))


def wrong_store(
    truth: Truth,
    docs: pa.Table,
    document_lines: pa.Table,
    journals: pa.Table,
    *,
    txn_of_doc: NDArray[np.int64],
    journal_txn: NDArray[np.int64],
    limit: int,
) -> Misplaced:
    """Compare stores (module docstring); ``txn_of_doc``: per row of ``docs``, the posted
    document's transaction (-1: none); ``journal_txn``: per journal line (`journal_owner`)."""
    n = len(truth.ids)
    if "store_id" not in docs.column_names:
        return Misplaced(np.zeros(n, dtype=bool), [], checked=False)
    found: list[tuple[NDArray[np.int64], pa.Array, _Describe]] = []
    ids = strings(docs, "document_id")
    kinds = strings(docs, "kind")
    rows = np.flatnonzero(txn_of_doc >= 0)
    found.append(
        _compare(
            truth,
            txn_of_doc[rows],
            strings(docs, "store_id").take(pa.array(rows)),
            lambda at: [
                f"{_KIND_WORDS.get(str(k), str(k))} {d}"
                for k, d in zip(
                    kinds.take(pa.array(rows[at])).to_pylist(),
                    ids.take(pa.array(rows[at])).to_pylist(),
                    strict=True,
                )
            ],
        )
    )
    if "store_id" in document_lines.column_names:
        doc_row = codes(document_lines.column("document_id"), ids)
        owner = np.where(doc_row >= 0, txn_of_doc[np.maximum(doc_row, 0)], -1)
        line_rows = np.flatnonzero(owner >= 0)
        numbers = (
            document_lines.column("line_no")
            if "line_no" in document_lines.column_names
            else pa.array(np.arange(document_lines.num_rows) + 1)
        )
        found.append(
            _compare(
                truth,
                owner[line_rows],
                strings(document_lines, "store_id").take(pa.array(line_rows)),
                lambda at: [
                    f"line {no} of {_KIND_WORDS.get(str(k), str(k))} {d}"
                    for no, k, d in zip(
                        pc.take(numbers, pa.array(line_rows[at])).to_pylist(),
                        kinds.take(pa.array(doc_row[line_rows[at]])).to_pylist(),
                        ids.take(pa.array(doc_row[line_rows[at]])).to_pylist(),
                        strict=True,
                    )
                ],
            )
        )
    if journals.num_rows and "store_id" in journals.column_names:
        owner = journal_txn
        journal_rows = np.flatnonzero(owner >= 0)
        journal_ids = strings(journals, "external_document_number")
        found.append(
            _compare(
                truth,
                owner[journal_rows],
                strings(journals, "store_id").take(pa.array(journal_rows)),
                lambda at: [
                    f"journal line {e}"
                    for e in journal_ids.take(pa.array(journal_rows[at])).to_pylist()
                ],
            )
        )
    mask = np.zeros(n, dtype=bool)
    events: list[tuple[int, StoreMismatch]] = []
    for txn, erp_store, describe in found:
        mask[txn] = True
        if not len(txn):
            continue
        first = np.argsort(txn, kind="stable")[:limit]
        pos = truth.store.take(pa.array(txn[first])).to_pylist()
        erp = erp_store.take(pa.array(first)).to_pylist()
        where = describe(first)
        for k, at in enumerate(first.tolist()):
            txn_id = str(truth.ids[int(txn[at])].as_py())
            events.append((int(txn[at]), StoreMismatch(txn_id, pos[k], erp[k], where[k])))
    events.sort(key=lambda e: e[0])
    shown: list[StoreMismatch] = []
    seen: set[str] = set()
    for _, event in events:
        if event.txn_id not in seen and len(shown) < limit:
            shown.append(event)
            seen.add(event.txn_id)
    return Misplaced(mask, shown, checked=True)


def _compare(
    truth: Truth, owner: NDArray[np.int64], erp_store: pa.Array, describe: _Describe
) -> tuple[NDArray[np.int64], pa.Array, _Describe]:
    """The records whose known store differs from their transaction's: (transactions, ERP
    stores, a function naming the records at given positions)."""
    pos_store = truth.store.take(pa.array(owner, type=pa.int64()))
    differs = pc.fill_null(pc.not_equal(pos_store, erp_store), False)
    at = np.flatnonzero(np.asarray(differs.to_numpy(zero_copy_only=False), dtype=bool))
    chosen = pa.array(at, type=pa.int64())

    def named(positions: NDArray[np.int64]) -> list[str]:
        return describe(at[positions])

    return owner[at], erp_store.take(chosen), named
