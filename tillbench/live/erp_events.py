"""ERP-side events at their simulated times: price changes, new items, replenishment
receipts — what the ERP (the catalogue's source of truth) changes during the day and the
connector must carry to the POS.

Receipts come from the simulator's truth (``stock_movements`` of kind RECEIPT inside the
run). Price changes and new items are drawn deterministically from the scenario's seed
(a few per run, between 20 % and 80 % of the duration). Price changes hit slow sellers:
the simulated tills keep ringing the simulator's prices, so every later sale of a changed
SKU counts as a pricing discrepancy, and slow sellers keep that noise small. The ERP target
makes them through its API (`tillbench.live.targets.protocol.ErpTarget.events`; Business
Central's in `tillbench.live.targets.bc.events`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = ["GIVE_UP_S", "ErpEvent", "EventApplier", "plan_erp_events"]

GIVE_UP_S = 120.0
"""Wall seconds an event is retried while the ERP refuses it."""

PRICE_CHANGES = 3
NEW_ITEMS = 1


@dataclasses.dataclass(frozen=True, slots=True)
class ErpEvent:
    t: float
    kind: str
    """price_change | new_item | receipt"""
    sku: str
    store_id: str | None = None
    unit_price_minor: int | None = None
    quantity: int | None = None
    name: str = ""

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.sku}:{self.store_id or '*'}:{self.t:.0f}"


class EventApplier:
    """What every ERP target's event applier shares: `apply` makes one event through
    ``_apply_once`` (the dialect's calls) and retries while the ERP refuses it (5xx, 429,
    no connection), doubling the pause up to 2 s, until ``give_up_s`` wall seconds."""

    exponent: int
    """Decimal places of the run's currency (`_major` turns minor units into amounts)."""
    on_applied: Callable[[ErpEvent, float], None] | None = None

    def _major(self, minor: int) -> float:
        return float(Decimal(minor).scaleb(-self.exponent))

    async def _apply_once(self, event: ErpEvent) -> None:
        raise NotImplementedError

    async def apply(self, event: ErpEvent, *, give_up_s: float = GIVE_UP_S) -> None:
        """Make the change; retry while the ERP refuses (5xx, 429, no connection)."""
        deadline = time.monotonic() + give_up_s
        delay = 0.25
        while True:
            try:
                await self._apply_once(event)
                if self.on_applied is not None:
                    self.on_applied(event, time.time())
                return
            except httpx.HTTPStatusError as exc:
                if exc.response.status_code < 500 and exc.response.status_code != 429:
                    raise
                if time.monotonic() + delay > deadline:
                    raise
            except httpx.TransportError:
                if time.monotonic() + delay > deadline:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


def plan_erp_events(
    scenario: Any, world: Any, run_dir: Path, *, rng: random.Random
) -> list[ErpEvent]:
    """The ERP-side events of the run, in time order."""
    duration = scenario.duration.total_seconds()
    events = _receipts(run_dir, duration)
    cat = world.catalog
    if len(cat.sku_ids):
        slow_sellers = sorted(range(len(cat.sku_ids)), key=lambda i: cat.popularity[i])
        half = slow_sellers[: max(len(slow_sellers) // 2, PRICE_CHANGES)]
        picks = rng.sample(half, k=min(PRICE_CHANGES, len(half)))
        for i in picks:
            factor = rng.choice([0.9, 0.95, 1.05, 1.1])
            price = max(1, round(int(cat.price_minor[i]) * factor))
            t = duration * rng.uniform(0.2, 0.8)
            events.append(ErpEvent(t, "price_change", cat.sku_ids[i], unit_price_minor=price))
    for n in range(NEW_ITEMS):
        t = duration * rng.uniform(0.2, 0.8)
        price = int(rng.choice([199, 349, 499, 899]))
        sku = f"SKU-NEW-{n + 1:03d}"
        events.append(
            ErpEvent(t, "new_item", sku, unit_price_minor=price, name=f"New item {n + 1}")
        )
    return sorted(events, key=lambda e: (e.t, e.kind, e.sku, e.store_id or ""))


def _receipts(run_dir: Path, duration: float) -> list[ErpEvent]:
    path = run_dir / "truth" / "stock_movements.parquet"
    if not path.exists():
        return []
    table = pq.read_table(path, columns=["store_id", "sku", "kind", "quantity", "t"])
    table = table.filter(
        pc.and_(
            pc.equal(pc.cast(table.column("kind"), "string"), "RECEIPT"),
            pc.and_(pc.greater_equal(table.column("t"), 0.0), pc.less(table.column("t"), duration)),
        )
    )
    return [
        ErpEvent(float(t), "receipt", str(sku), store_id=str(store), quantity=int(q))
        for store, sku, q, t in zip(
            table.column("store_id").to_pylist(),
            table.column("sku").to_pylist(),
            table.column("quantity").to_pylist(),
            table.column("t").to_pylist(),
            strict=True,
        )
    ]
