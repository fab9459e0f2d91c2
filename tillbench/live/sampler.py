"""Observers: the stock sampler and the connector metrics sampler.

Every ``every_t`` simulated seconds the sampler reads the stock of both systems through
their targets' public APIs (`tillbench.live.targets.protocol.StockRead`: Square's
inventory counts, Business Central's ``locationInventories``, Tryton through the harness's
own reader) with the harness's own credentials — black-box, so a real system works the
same — and, when the connector serves it, ``GET /metrics``. A side that cannot be read (an
outage) gives nulls. While an ERP price change or new item has not reached the POS
catalogue, it also reads the POS catalogue's prices (the POS target's `PriceRead`) and
records when the new price shows up there (ERP → POS price sync).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from typing import Any

import httpx

from domain.clock import RunClock
from tillbench.live.targets.protocol import PriceRead, StockLevels, StockRead

__all__ = ["Sample", "Sampler"]

MIN_INTERVAL_S = 0.5
"""Never sample more often than this (wall seconds), whatever the speed."""


@dataclasses.dataclass(frozen=True, slots=True)
class Sample:
    """One sampling round, summarised."""

    sample_id: int
    t: float
    wall: float
    pos_ok: bool
    erp_ok: bool
    drift_units: float | None
    """sum over store×SKU of |ERP − POS|; None when a side could not be read"""
    pairs_off: int | None
    backlog: float | None
    prices_pending: int = 0
    """ERP price changes the POS catalogue does not show yet"""

    @property
    def converged(self) -> bool:
        return (
            self.pos_ok
            and self.erp_ok
            and self.drift_units == 0
            and (self.backlog is None or self.backlog == 0)
            and self.prices_pending == 0
        )


class Sampler:
    """Polls stock and connector metrics until stopped; rows accumulate in memory."""

    def __init__(
        self,
        *,
        clock: RunClock,
        every_t: float,
        stores: list[str],
        pos_stock: StockRead,
        erp_stock: StockRead,
        pos_prices: PriceRead | None = None,
        connector_url: str | None,
        timeout_s: float = 10.0,
    ) -> None:
        self.clock = clock
        self.interval = max(every_t / clock.speed, MIN_INTERVAL_S)
        self.stores = list(stores)
        self._store_set = set(stores)
        self._pos_stock = pos_stock
        self._erp_stock = erp_stock
        self._pos_prices = pos_prices
        self.connector_url = connector_url
        self.timeout_s = timeout_s
        self._price_watch: dict[str, dict[str, Any]] = {}
        self.price_rows: list[dict[str, Any]] = []
        self._metrics_seen = connector_url is not None
        self.stock_rows: list[dict[str, Any]] = []
        self.connector_rows: list[dict[str, Any]] = []
        self.samples: list[Sample] = []
        self._stop = asyncio.Event()
        self._new_sample = asyncio.Event()

    @property
    def last(self) -> Sample | None:
        return self.samples[-1] if self.samples else None

    def stop(self) -> None:
        self._stop.set()

    async def next_sample(self) -> Sample:
        """Wait for the next sampling round to finish."""
        self._new_sample.clear()
        await self._new_sample.wait()
        assert self.samples
        return self.samples[-1]

    async def run(self) -> None:
        """Sample every interval until `stop`; the first round right away."""
        async with httpx.AsyncClient(timeout=self.timeout_s) as client:
            next_wall = time.time()
            while not self._stop.is_set():
                await self.sample_once(client)
                next_wall += self.interval
                delay = next_wall - time.time()
                if delay < 0:  # a slow round: keep the cadence from now on
                    next_wall, delay = time.time(), 0.0
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=delay)

    async def sample_once(self, client: httpx.AsyncClient) -> Sample:
        """One round now: both books, the connector's metrics, pending prices."""
        wall = time.time()
        t = self.clock.t_at(wall)
        pos, erp, metrics = await asyncio.gather(
            self._pos_stock(client), self._erp_stock_of(client), self._metrics(client)
        )
        if self._price_watch:
            await self._check_prices(client)
        sample_id = len(self.samples)
        keys = sorted(set(pos or {}) | set(erp or {}))
        drift = 0.0
        off = 0
        for store, sku in keys:
            p = None if pos is None else pos.get((store, sku), 0.0)
            e = None if erp is None else erp.get((store, sku), 0.0)
            self.stock_rows.append(
                {
                    "sample_id": sample_id,
                    "t": t,
                    "wall": wall,
                    "store_id": store,
                    "sku": sku,
                    "pos_qty": p,
                    "erp_qty": e,
                }
            )
            if p is not None and e is not None and p != e:
                drift += abs(e - p)
                off += 1
        backlog = None
        if metrics is not None:
            backlog = _number(metrics.get("backlog"))
            self.connector_rows.append(
                {
                    "t": t,
                    "wall": wall,
                    "backlog": backlog,
                    "posted": _number(metrics.get("posted")),
                    "retries": _number(metrics.get("retries")),
                    "dead_letters": _number(metrics.get("dead_letters")),
                    "erp_calls": _number(metrics.get("erp_calls")),
                    "erp_status_503": _number(metrics.get("erp_status_503")),
                    "erp_retries": _number(metrics.get("erp_retries")),
                }
            )
        both = pos is not None and erp is not None
        sample = Sample(
            sample_id=sample_id,
            t=t,
            wall=wall,
            pos_ok=pos is not None,
            erp_ok=erp is not None,
            drift_units=drift if both else None,
            pairs_off=off if both else None,
            backlog=backlog,
            prices_pending=len(self._price_watch),
        )
        self.samples.append(sample)
        self._new_sample.set()
        return sample

    def watch_price(self, sku: str, *, kind: str, unit_price_minor: int, wall: float) -> None:
        """Follow an ERP price change (or new item) until the POS catalogue shows it."""
        self._price_watch[sku] = {
            "sku": sku,
            "kind": kind,
            "unit_price_minor": unit_price_minor,
            "erp_t": self.clock.t_at(wall),
            "erp_wall": wall,
        }

    def price_sync_rows(self) -> list[dict[str, Any]]:
        """``samples/prices`` rows: seen ones, then those the POS never showed (pos_t null)."""
        pending = [{**w, "pos_t": None, "pos_wall": None} for w in self._price_watch.values()]
        return self.price_rows + pending

    async def _check_prices(self, client: httpx.AsyncClient) -> None:
        if self._pos_prices is None:
            return
        wall = time.time()
        prices = await self._pos_prices(client)
        if prices is None:
            return
        t = self.clock.t_at(wall)
        for sku, watch in list(self._price_watch.items()):
            if prices.get(sku) == watch["unit_price_minor"]:
                self.price_rows.append({**watch, "pos_t": t, "pos_wall": wall})
                del self._price_watch[sku]

    async def _erp_stock_of(self, client: httpx.AsyncClient) -> StockLevels | None:
        found = await self._erp_stock(client)
        if found is None:
            return None
        return {key: qty for key, qty in found.items() if key[0] in self._store_set}

    async def _metrics(self, client: httpx.AsyncClient) -> dict[str, Any] | None:
        if not self._metrics_seen or self.connector_url is None:
            return None
        try:
            response = await client.get(f"{self.connector_url}/metrics", timeout=2.0)
        except httpx.HTTPError:
            return None
        if response.status_code == 404:
            self._metrics_seen = False
            return None
        try:
            data = response.json()
        except ValueError:
            return None
        return data if isinstance(data, dict) else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
