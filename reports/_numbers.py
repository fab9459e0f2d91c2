"""Duplicate document numbers: two posted ERP documents sharing one number.

An ERP hands every posted document a number from a sequence; two documents with the same
number break the ledger whatever the connector did (Tryton on SQLite does this when
several writers post at once). Valid for any ERP: reads the ``number`` column of
``erp/documents`` over posted invoices and credit memos (journal lines and drafts carry
no number of their own). Invoices and credit memos are compared together: an ERP that
numbers them from one sequence must not repeat it across kinds either, and one with a
series per kind gives them distinct prefixes.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from reports._arrow import strings
from reports._verdict import DuplicateNumbers, SharedNumber

__all__ = ["EXAMPLES", "duplicate_numbers"]

EXAMPLES = 10
_DOCUMENT_KINDS = pa.array(["invoice", "credit_memo"])


def duplicate_numbers(documents: pa.Table) -> DuplicateNumbers | None:
    """Numbers held by more than one posted document; None without a ``number`` column."""
    if "number" not in documents.column_names:
        return None
    kind = pc.is_in(strings(documents, "kind"), value_set=_DOCUMENT_KINDS)
    status = pc.utf8_lower(pc.fill_null(strings(documents, "status"), ""))
    number = pc.utf8_trim_whitespace(pc.fill_null(strings(documents, "number"), ""))
    keep = pc.and_(pc.and_(kind, pc.not_equal(status, "draft")), pc.not_equal(number, ""))
    numbered = pa.table(
        {
            "number": number.filter(keep),
            "reference": pc.fill_null(
                strings(documents, "external_document_number").filter(keep), "?"
            ),
        }
    )
    counts = pc.value_counts(numbered.column("number").combine_chunks())
    repeated = counts.filter(pc.greater(counts.field("counts"), 1))
    shared = sorted(repeated.field("values").to_pylist())
    holders: dict[str, list[str]] = {value: [] for value in shared[:EXAMPLES]}
    if holders:
        picked = numbered.filter(
            pc.is_in(numbered.column("number"), value_set=pa.array(list(holders)))
        )
        for value, reference in zip(
            picked.column("number").to_pylist(),
            picked.column("reference").to_pylist(),
            strict=True,
        ):
            holders[value].append(reference)
    return DuplicateNumbers(
        numbers=len(shared),
        documents=int(pc.sum(repeated.field("counts")).as_py() or 0),
        checked=numbered.num_rows,
        examples=[
            SharedNumber(number=value, references=sorted(refs)) for value, refs in holders.items()
        ],
    )
