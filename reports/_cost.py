"""API cost: ERP requests made with the connector's credential, per sale and per day.

The connector's credential is run.json ``connector.erp_credential`` (or ``erp_credential``);
without it, the journal's busiest credential is taken and the basis says so (the stock
sampler polls with its own credential, which must be told apart).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from reports._arrow import strings
from reports._verdict import ApiCost

__all__ = ["api_cost"]

DAY_S = 86_400.0


def api_cost(
    journal: pa.Table, *, sales: int, run: Mapping[str, Any], traffic_s: float | None
) -> ApiCost:
    """Calls per sale and per real day at the run's rate (see `ApiCost.per_day`)."""
    credentials = pc.fill_null(strings(journal, "credential"), "")
    credential, basis = _credential(credentials, run)
    calls = 0 if credential is None else int(pc.sum(pc.equal(credentials, credential)).as_py() or 0)
    per_day = calls * DAY_S / traffic_s if traffic_s else None
    return ApiCost(
        calls=calls,
        sales=sales,
        per_sale=calls / sales if sales else None,
        per_day=per_day,
        credential=credential,
        basis=basis,
    )


def _credential(credentials: pa.Array, run: Mapping[str, Any]) -> tuple[str | None, str]:
    connector = run.get("connector")
    named = connector.get("erp_credential") if isinstance(connector, Mapping) else None
    named = named or run.get("erp_credential")
    if isinstance(named, str) and named:
        return named, "ERP journal rows with the connector's credential (run.json)"
    if not len(credentials):
        return None, "the ERP journal is empty (a real ERP keeps no journal here)"
    counts = pc.value_counts(credentials).to_pylist()
    busiest = max(counts, key=lambda c: (c["counts"], c["values"]))
    return (
        str(busiest["values"]),
        "ERP journal rows of its busiest credential (run.json names no connector credential)",
    )
