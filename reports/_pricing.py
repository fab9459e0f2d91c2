"""Pricing discrepancies: sale lines rung up at a price other than the ERP's at that time.

The ERP is the source of truth for prices. The price in force at a line's time is the
latest applied ``erp/price_changes.parquet`` row (sku, t, unit_price_minor; rows with a
null ``t`` or an ``error`` were never applied) at or before it, else
the catalogue price the ERP was seeded with (``truth/catalog``). Without recorded price
changes only the end prices (``erp/items.parquet``) are known; lines are compared with
those and the basis says so (a price changed mid-run then shows on the lines before it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from reports._arrow import codes, floats, ints, strings, take
from reports._verdict import PricingDiscrepancies

__all__ = ["EXAMPLES", "pricing"]

EXAMPLES = 5


def pricing(
    sale_lines: pa.Table,
    *,
    catalog: pa.Table | None,
    items: pa.Table | None,
    changes: pa.Table | None,
) -> PricingDiscrepancies | None:
    """Compare each non-voided sale line's unit price with the ERP price in force."""
    if changes is not None and catalog is not None:
        in_force = _in_force(sale_lines, catalog, changes)
        basis = "ERP price in force at each line's time (seed catalogue + recorded changes)"
    elif items is not None:
        where = codes(sale_lines.column("sku"), strings(items, "sku"))
        in_force = take(floats(items, "unit_price_minor"), where)
        basis = "ERP end prices (no price changes recorded: lines before a change may show)"
    else:
        return None
    price = floats(sale_lines, "unit_price_minor")
    known = ~np.isnan(in_force) & ~np.isnan(price)
    off = np.flatnonzero(known & (price != in_force))
    chosen = pa.array(off[:EXAMPLES], type=pa.int64())
    examples = [
        f"{txn} line {line}: {sku} at {int(p)} vs ERP {int(e)}"
        for txn, line, sku, p, e in zip(
            strings(sale_lines, "txn_id").take(chosen).to_pylist(),
            ints(sale_lines, "line_no")[off[:EXAMPLES]],
            strings(sale_lines, "sku").take(chosen).to_pylist(),
            price[off[:EXAMPLES]],
            in_force[off[:EXAMPLES]],
            strict=True,
        )
    ]
    return PricingDiscrepancies(
        count=len(off), checked=int(known.sum()), examples=examples, basis=basis
    )


def _in_force(sale_lines: pa.Table, catalog: pa.Table, changes: pa.Table) -> np.ndarray:
    lines = pd.DataFrame(
        {
            "row": np.arange(sale_lines.num_rows),
            "sku": strings(sale_lines, "sku").to_pandas(),
            "t": floats(sale_lines, "t"),
        }
    ).sort_values("t", kind="stable")
    applied = ~np.isnan(floats(changes, "t"))
    if "error" in changes.column_names:
        applied &= np.asarray(pc.is_null(changes.column("error")).to_numpy(zero_copy_only=False))
    changes = changes.filter(pa.array(applied))
    moves = pd.DataFrame(
        {
            "sku": strings(changes, "sku").to_pandas(),
            "t": floats(changes, "t"),
            "price": floats(changes, "unit_price_minor"),
        }
    ).sort_values("t", kind="stable")
    joined = pd.merge_asof(lines, moves, on="t", by="sku", direction="backward")
    result = np.full(sale_lines.num_rows, np.nan)
    result[joined["row"].to_numpy()] = joined["price"].to_numpy(dtype=np.float64)
    where = codes(sale_lines.column("sku"), strings(catalog, "sku"))
    seed = take(floats(catalog, "price_minor"), where)
    return np.where(np.isnan(result), seed, result)
