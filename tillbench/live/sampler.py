"""Observers: the stock sampler and the connector metrics sampler.

Every ``every_t`` simulated seconds the sampler reads POS inventory counts
(``/v2/inventory/counts/batch-retrieve``) and ERP stock per location and item (the
``locationInventories`` read-back API) through their public APIs with the harness's own
credential — black-box, so it works against a real ERP too; for an ERP with another API
(Tryton) the caller passes its own ``erp_stock`` reader — and, when the connector
serves it, ``GET /metrics``. A side that cannot be read (an outage) gives nulls. While an
ERP price change or new item has not reached the POS catalogue, it also lists the POS
catalogue and records when the new price shows up there (ERP → POS price sync).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from tillbench.live.clock import RunClock

__all__ = ["ErpStockReader", "Sample", "Sampler"]

StockLevels = dict[tuple[str, str], float]
ErpStockReader = Callable[[], Awaitable[StockLevels | None]]
"""Reads the ERP's stock per (store, SKU); None when the ERP cannot be read right now."""

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
        pos_url: str,
        erp_inventory_url: str,
        token: str,
        stores: list[str],
        connector_url: str | None,
        timeout_s: float = 10.0,
        erp_stock: ErpStockReader | None = None,
    ) -> None:
        self.clock = clock
        self.interval = max(every_t / clock.speed, MIN_INTERVAL_S)
        self.pos_url = pos_url.rstrip("/")
        self.erp_inventory_url = erp_inventory_url
        self._erp_reader = erp_stock
        self.stores = list(stores)
        self._store_set = set(stores)
        self.connector_url = connector_url
        self.timeout_s = timeout_s
        self._headers = {"Authorization": f"Bearer {token}"}
        self._variations: dict[str, str] = {}
        self._pos_prices: dict[str, int] = {}
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
        async with httpx.AsyncClient(headers=self._headers, timeout=self.timeout_s) as client:
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
        wall = time.time()
        t = self.clock.t_at(wall)
        pos, erp, metrics = await asyncio.gather(
            self._pos_stock(client), self._erp_stock(client), self._metrics(client)
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

    async def _pos_stock(self, client: httpx.AsyncClient) -> dict[tuple[str, str], float] | None:
        try:
            counts: list[dict[str, Any]] = []
            for start in range(0, len(self.stores), 100):
                cursor = None
                while True:
                    body: dict[str, Any] = {
                        "location_ids": self.stores[start : start + 100],
                        "states": ["IN_STOCK"],
                    }
                    if cursor:
                        body["cursor"] = cursor
                    response = await client.post(
                        f"{self.pos_url}/v2/inventory/counts/batch-retrieve", json=body
                    )
                    response.raise_for_status()
                    page = response.json()
                    counts.extend(page.get("counts") or [])
                    cursor = page.get("cursor")
                    if not cursor:
                        break
            if any(c["catalog_object_id"] not in self._variations for c in counts):
                await self._load_variations(client)
        except (httpx.HTTPError, ValueError, KeyError):
            return None
        out: dict[tuple[str, str], float] = {}
        for count in counts:
            sku = self._variations.get(count["catalog_object_id"])
            if sku is not None:
                key = (count["location_id"], sku)
                out[key] = out.get(key, 0.0) + float(count["quantity"])
        return out

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
        wall = time.time()
        try:
            await self._load_variations(client)
        except (httpx.HTTPError, ValueError, KeyError):
            return
        t = self.clock.t_at(wall)
        for sku, watch in list(self._price_watch.items()):
            if self._pos_prices.get(sku) == watch["unit_price_minor"]:
                self.price_rows.append({**watch, "pos_t": t, "pos_wall": wall})
                del self._price_watch[sku]

    async def _load_variations(self, client: httpx.AsyncClient) -> None:
        cursor = None
        while True:
            params = {"types": "ITEM_VARIATION", **({"cursor": cursor} if cursor else {})}
            response = await client.get(f"{self.pos_url}/v2/catalog/list", params=params)
            response.raise_for_status()
            page = response.json()
            for obj in page.get("objects") or []:
                data = obj.get("item_variation_data") or {}
                sku = data.get("sku")
                if sku:
                    self._variations[obj["id"]] = sku
                    price = (data.get("price_money") or {}).get("amount")
                    if isinstance(price, int):
                        self._pos_prices[sku] = price
            cursor = page.get("cursor")
            if not cursor:
                return

    async def _erp_stock(self, client: httpx.AsyncClient) -> dict[tuple[str, str], float] | None:
        if self._erp_reader is not None:
            found = await self._erp_reader()
            if found is None:
                return None
            return {key: qty for key, qty in found.items() if key[0] in self._store_set}
        out: dict[tuple[str, str], float] = {}
        url: str | None = self.erp_inventory_url
        try:
            while url:
                response = await client.get(url)
                response.raise_for_status()
                page = response.json()
                for row in page.get("value") or []:
                    if row["locationCode"] in self._store_set:
                        out[(row["locationCode"], row["itemNumber"])] = float(row["inventory"])
                url = page.get("@odata.nextLink")
        except (httpx.HTTPError, ValueError, KeyError):
            return None
        return out

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
