"""The truth side of exactly-once: the POS documents that must reach the ERP."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from reports._arrow import codes, floats, strings

__all__ = ["KINDS", "Truth", "read_truth"]

KINDS = ("sale", "return", "post_void")
"""POS kinds that must reach the ERP, in code order (cancels produce no document)."""


@dataclass(frozen=True)
class Truth:
    """The POS documents the ERP must hold (cancels left out), in truth order."""

    ids: pa.Array
    kind: NDArray[np.int64]
    t: NDArray[np.float64]
    total: NDArray[np.float64]
    tax: NDArray[np.float64]
    original: pa.Array
    """The sale a post-void reverses (null for other kinds)."""
    store: pa.Array
    """The store of each transaction (null when the truth has no store_id column)."""


def read_truth(transactions: pa.Table) -> Truth:
    kind_all = codes(transactions.column("kind"), pa.array(KINDS))
    expected = transactions.filter(pa.array(kind_all >= 0))
    return Truth(
        ids=strings(expected, "txn_id"),
        kind=kind_all[kind_all >= 0],
        t=floats(expected, "t"),
        total=floats(expected, "total_minor"),
        tax=floats(expected, "tax_minor"),
        original=strings(expected, "original_txn_id"),
        store=(
            strings(expected, "store_id")
            if "store_id" in expected.column_names
            else pa.nulls(expected.num_rows, pa.string())
        ),
    )
