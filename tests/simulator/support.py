"""Helpers for the simulator tests: a small scenario with every kind of document, and a run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

import scenarios
from simulator import Params, TrafficSummary

RICH_OVERRIDES: dict[str, object] = {
    "chain.stores": 4,
    "duration": "3d",
    "catalog.skus": 800,
    "inventory.days_of_cover": 1.5,
    "inventory.replenishment.target_days": 2,
    "inventory.replenishment.reorder_days": 1,
    "inventory.shrink_annual": 0.05,
    "returns.rate": 0.08,
    "voids.line_void": 0.1,
    "voids.cancel": 0.02,
    "voids.post_void": 0.02,
    "data_quality.card_in_notes": 0.02,
}


@dataclass
class Run:
    scenario: Any
    params: Params
    out: Path
    summary: TrafficSummary

    def table(self, name: str) -> pa.Table:
        return pq.read_table(self.out / "truth" / f"{name}.parquet")


def small_scenario(**overrides: object) -> Any:
    return scenarios.load("grocery-chain").with_overrides(**{**RICH_OVERRIDES, **overrides})
