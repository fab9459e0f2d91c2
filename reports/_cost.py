"""API cost: ERP requests made with the connector's credential, per sale and per day.

The connector's credential is run.json ``connector.erp_credential`` (or ``erp_credential``,
`domain.rundir.RunMeta.connector_credential`);
without it, the journal's busiest credential is taken and the basis says so (the stock
sampler polls with its own credential, which must be told apart). A real ERP keeps no
journal here: then the connector's own ``erp_calls`` counter (``samples/connector``) is
the count, when it reports one.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from reports._arrow import floats, strings
from reports._verdict import ApiCost

__all__ = ["api_cost", "api_cost_from_counter", "counter_total"]

DAY_S = 86_400.0


def api_cost(
    journal: pa.Table, *, sales: int, credential: str | None, traffic_s: float | None
) -> ApiCost:
    """Calls per sale and per real day at the run's rate (see `ApiCost.per_day`)."""
    credentials = pc.fill_null(strings(journal, "credential"), "")
    credential, basis = _credential(credentials, credential)
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


def _credential(credentials: pa.Array, named: str | None) -> tuple[str | None, str]:
    if named:
        return named, "ERP journal rows with the connector's credential (run.json)"
    if not len(credentials):
        return None, "the ERP journal is empty (a real ERP keeps no journal here)"
    counts = pc.value_counts(credentials).to_pylist()
    busiest = max(counts, key=lambda c: (c["counts"], c["values"]))
    return (
        str(busiest["values"]),
        "ERP journal rows of its busiest credential (run.json names no connector credential)",
    )


def counter_total(values: np.ndarray) -> int:
    """The total of a cumulative counter sampled in time order; a drop (the connector was
    restarted and counts from 0 again) starts a new run of counts that adds on."""
    clean = values[~np.isnan(values)]
    if clean.size == 0:
        return 0
    steps = np.diff(clean, prepend=0.0)
    restarted = steps < 0
    steps[restarted] = clean[restarted]
    return int(steps.sum())


def api_cost_from_counter(
    samples: pa.Table, *, sales: int, traffic_s: float | None
) -> ApiCost | None:
    """API cost from the connector's ``erp_calls`` samples; None when it reports none."""
    if "erp_calls" not in samples.column_names or "t" not in samples.column_names:
        return None
    ordered = samples.sort_by("t")
    values = floats(ordered, "erp_calls")
    if np.isnan(values).all():
        return None
    calls = counter_total(values)
    return ApiCost(
        calls=calls,
        sales=sales,
        per_sale=calls / sales if sales else None,
        per_day=calls * DAY_S / traffic_s if traffic_s else None,
        credential=None,
        basis="the connector's erp_calls counter (samples/connector: a real ERP keeps no "
        "request journal here)",
    )
