"""Shopping: baskets of sales and cancels taken off the shelves between deliveries.

Sale lines take stock in arrival order per store×SKU (`simulator.stock.clip_sales`); a
line that finds the shelf short is clipped and recorded as a stock-out. Shrink runs on in
each period between deliveries, and deliveries arrive at the replenishment instants.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulator.baskets import Lines, basket_sizes, draw_lines
from simulator.kinds import RETURN, SALE
from simulator.params import Params
from simulator.stock import StockState, clip_sales
from simulator.world import World

__all__ = ["Shopped", "replenishment_instants", "shop"]

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]


def replenishment_instants(p: Params, lo: float, hi: float) -> list[float]:
    """Delivery times (seconds since start) in ``[lo, hi)``."""
    first = p.day_start_t(0) + p.replenish_at_s
    every = p.replenish_every_s
    if every <= 0:
        return [first] if lo <= first < hi else []
    k0 = max(0, int(np.ceil((lo - first) / every)))
    out = []
    k = k0
    while first + k * every < hi:
        if first + k * every >= lo:
            out.append(first + k * every)
        k += 1
    return out


@dataclasses.dataclass(slots=True)
class Shopped:
    lines: Lines
    """what customers carry to the till (sold quantities; lines that got nothing dropped)"""
    stock_outs: dict[str, NDArray[Any]]
    shrink: list[tuple[I64, I64, F64]]
    receipts: list[tuple[I64, I64, F64]]


def shop(
    rng: np.random.Generator,
    world: World,
    stock: StockState,
    stores: slice,
    *,
    store: I64,
    t: F64,
    kind: I64,
    span: tuple[float, float],
) -> Shopped:
    """Baskets of sales and cancels; sales take stock between deliveries, shrink runs on."""
    p = world.params
    shoppers = np.flatnonzero(kind != RETURN)
    sizes = basket_sizes(
        rng, len(shoppers), median=p.basket_median, sigma=p.basket_sigma, max_items=p.max_items
    )
    lines = draw_lines(rng, p, world.catalog.alias, sizes)
    lines.owner = shoppers[lines.owner]
    key = store[lines.owner] * stock.skus + lines.sku
    line_t = t[lines.owner]
    is_sale = kind[lines.owner] == SALE
    got = lines.quantity.copy()
    shrink: list[tuple[I64, I64, F64]] = []
    receipts: list[tuple[I64, I64, F64]] = []
    edges = [span[0], *replenishment_instants(p, *span), span[1]]
    for i in range(len(edges) - 1):
        a, b = edges[i], edges[i + 1]
        if b > a:
            k_shr, u_shr = stock.draw_shrink(rng, p, stores, b - a)
            shrink.append((k_shr, u_shr, a + rng.random(len(k_shr)) * (b - a)))
            idx = np.flatnonzero(is_sale & (line_t >= a) & (line_t < b))
            got[idx] = clip_sales(stock, key[idx], line_t[idx], lines.quantity[idx]).sold
        if i + 1 < len(edges) - 1:
            k_rec, u_rec = stock.deliver(p, stores)
            receipts.append((k_rec, u_rec, np.full(len(k_rec), b)))
    out = np.flatnonzero(is_sale & (got < lines.quantity))
    stock_outs = {
        "key": key[out],
        "t": line_t[out],
        "owner": lines.owner[out],
        "requested": lines.quantity[out],
        "sold": got[out],
    }
    kept = got > 0
    lines = lines.take(kept)
    lines.quantity = got[kept]
    return Shopped(lines, stock_outs, shrink, receipts)
