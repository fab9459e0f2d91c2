"""API cost against a real ERP: the connector's erp_calls counter stands in for the journal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import reports
from reports._cost import counter_total


def _samples(run_dir: Path, **columns: list[float]) -> None:
    n = len(next(iter(columns.values())))
    table = pa.table({"t": np.arange(n, dtype="float64")[::-1] * 60.0, **columns})
    pq.write_table(table, run_dir / "samples/connector.parquet")


def test_without_a_journal_the_connectors_counter_is_the_cost(run_dir: Path) -> None:
    (run_dir / "erp/journal.parquet").unlink()
    # written newest first: in time order 0, 100, restart at 40, 60 → 100 + 60 calls
    _samples(run_dir, erp_calls=[60.0, 40.0, 100.0, 0.0])

    verdict = reports.verify(run_dir)

    cost = verdict.api_cost
    assert cost is not None
    assert cost.calls == 160
    sales = verdict.exactly_once.expected_by_kind["sale"]
    assert verdict.api_calls_per_sale == pytest.approx(160 / sales)
    assert "erp_calls" in cost.basis
    assert cost.credential is None


def test_without_journal_or_counter_the_cost_is_a_note(run_dir: Path) -> None:
    (run_dir / "erp/journal.parquet").unlink()
    _samples(run_dir, backlog=[0.0, 0.0])

    verdict = reports.verify(run_dir)

    assert verdict.api_cost is None
    assert any("API calls per sale unmeasured" in note for note in verdict.notes)


@pytest.mark.parametrize(
    ("values", "total"),
    [([], 0), ([0, 3, 7], 7), ([5, 9, 2, 4], 13), ([np.nan, 4, np.nan, 6], 6)],
)
def test_counter_total_bridges_restarts(values: list[float], total: int) -> None:
    assert counter_total(np.array(values, dtype="float64")) == total
