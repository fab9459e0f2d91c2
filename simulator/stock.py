"""Stock of every store and SKU: the physical and POS-book ledgers (DESIGN.md).

Arrays are indexed by ``store × skus + sku``. The rules:

- Initial stock is ``days_of_cover`` days of expected demand (rounded up).
- Sales take units off the shelf in arrival order per store and SKU; a line that wants
  more than the shelf holds is clipped and the missing units are a lost sale (stock-out).
  Nothing is ever sold that is not physically on the shelf.
- Shrink is an unrecorded loss: Poisson per store with mean ``shrink_annual`` × expected
  daily units × the period's length in days (REFERENCE.md: shrink is 1.4–1.6% of sales),
  spread over SKUs by demand × a per-category factor (most variance lies between
  categories, REFERENCE.md). It lowers physical stock but not the POS book.
- Returned and post-voided units go to the back room (physical and POS book at once) and
  back on the shelf at the first delivery after the day they came back.
- Deliveries at each ``replenishment`` instant refill SKUs whose POS book is at or below
  ``reorder_days`` of demand up to ``target_days`` (both ledgers) — ordering from the POS
  book, so shrink turns into phantom stock exactly as in real stores.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from simulator.params import DAY, Params

__all__ = ["ClipResult", "StockState", "clip_sales"]

I64 = NDArray[np.int64]
_CATEGORY_SHRINK_SIGMA = 0.6


@dataclasses.dataclass(slots=True)
class StockState:
    skus: int
    demand: NDArray[np.float64]
    """expected units sold per day"""
    shrink_weight: NDArray[np.float64]
    """expected units sold per day × category shrink factor (demand-weighted mean 1)"""
    shelf: I64
    backroom: I64
    pos_book: I64
    initial: I64
    receipts: I64
    sold: I64
    returned: I64
    shrink: I64

    @classmethod
    def create(
        cls,
        params: Params,
        *,
        size_factor: NDArray[np.float64],
        popularity: NDArray[np.float64],
        category: I64,
        units_per_customer: float,
        rng: np.random.Generator,
    ) -> StockState:
        per_store = params.customers_per_store_day * params.multiplier * size_factor
        demand = (per_store[:, None] * (units_per_customer * popularity)[None, :]).ravel()
        cat_factor = np.exp(_CATEGORY_SHRINK_SIGMA * rng.standard_normal(params.categories))
        sku_factor = cat_factor[category]
        sku_factor /= (sku_factor * popularity).sum()
        units = units_per_customer * popularity * sku_factor
        weight = (per_store[:, None] * units[None, :]).ravel()
        initial = np.ceil(params.days_of_cover * demand - 1e-9).astype(np.int64)
        zeros = np.zeros_like(initial)
        return cls(
            skus=len(popularity),
            demand=demand,
            shrink_weight=weight,
            shelf=initial.copy(),
            backroom=zeros.copy(),
            pos_book=initial.copy(),
            initial=initial,
            receipts=zeros.copy(),
            sold=zeros.copy(),
            returned=zeros.copy(),
            shrink=zeros.copy(),
        )

    @property
    def physical(self) -> I64:
        return np.asarray(self.shelf + self.backroom, dtype=np.int64)

    def draw_shrink(
        self, rng: np.random.Generator, params: Params, stores: slice, seconds: float
    ) -> tuple[I64, I64]:
        """Unrecorded losses over ``seconds`` for a contiguous range of stores.

        Returns (key, units) of the losses (each ≥ 1), already taken off the shelf.
        """
        lo, hi = stores.start * self.skus, stores.stop * self.skus
        weight = self.shrink_weight[lo:hi]
        expected = params.shrink_annual * weight.sum() * seconds / DAY
        n = int(rng.poisson(expected)) if expected > 0 else 0
        if n == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        cdf = np.cumsum(weight)
        cdf /= cdf[-1]
        local = np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), hi - lo - 1)
        key, units = np.unique(local + lo, return_counts=True)
        units = np.minimum(units, self.shelf[key])
        keep = units > 0
        key, units = key[keep], units[keep].astype(np.int64)
        self.shelf[key] -= units
        self.shrink[key] += units
        return key, units

    def take(self, key: I64, units: I64) -> None:
        """Record sold units (already checked against the shelf by `clip_sales`)."""
        np.subtract.at(self.shelf, key, units)
        np.subtract.at(self.pos_book, key, units)
        np.add.at(self.sold, key, units)

    def give_back(self, key: I64, units: I64) -> None:
        """Returned or post-voided units arrive in the back room."""
        np.add.at(self.backroom, key, units)
        np.add.at(self.pos_book, key, units)
        np.add.at(self.returned, key, units)

    def deliver(self, params: Params, stores: slice) -> tuple[I64, I64]:
        """Shelve the back room and refill to target; returns (key, units) received."""
        lo, hi = stores.start * self.skus, stores.stop * self.skus
        self.shelf[lo:hi] += self.backroom[lo:hi]
        self.backroom[lo:hi] = 0
        demand = self.demand[lo:hi]
        book = self.pos_book[lo:hi]
        target = np.ceil(params.target_days * demand - 1e-9).astype(np.int64)
        order = np.where(book <= params.reorder_days * demand, target - book, 0)
        local = np.flatnonzero(order > 0)
        units = order[local].astype(np.int64)
        key = local + lo
        self.shelf[key] += units
        self.pos_book[key] += units
        self.receipts[key] += units
        return key.astype(np.int64), units


@dataclasses.dataclass(slots=True)
class ClipResult:
    sold: I64
    """units each line gets (≤ requested)"""


def clip_sales(state: StockState, key: I64, t: NDArray[np.float64], requested: I64) -> ClipResult:
    """Give each line what the shelf still holds, first come first served per store×SKU.

    Takes the sold units off the shelf and POS book. ``t`` orders lines of the same key.
    Only keys whose demand exceeds the shelf need that order; the rest sell in full.
    """
    n = len(key)
    if n == 0:
        return ClipResult(np.zeros(0, np.int64))
    lo = int(key.min())
    wanted = np.bincount(key - lo, weights=requested).astype(np.int64)
    span = slice(lo, lo + len(wanted))
    short = wanted > state.shelf[span]
    sold = requested.copy()
    if short.any():
        risky = np.flatnonzero(short[key - lo])
        sold[risky] = _first_come(state.shelf, key[risky], t[risky], requested[risky])
    taken = np.bincount(key - lo, weights=sold, minlength=len(wanted)).astype(np.int64)
    state.shelf[span] -= taken
    state.pos_book[span] -= taken
    state.sold[span] += taken
    return ClipResult(sold)


def _first_come(shelf: I64, key: I64, t: NDArray[np.float64], requested: I64) -> I64:
    """Units each line gets when lines of a key are served in ``t`` order from ``shelf``."""
    order = np.lexsort((t, key))
    k = key[order]
    q = requested[order]
    cum = np.cumsum(q)
    first = np.r_[True, k[1:] != k[:-1]]
    group_start = np.flatnonzero(first)
    group_id = np.cumsum(first) - 1
    before = cum - q - (cum - q)[group_start][group_id]
    got = np.clip(shelf[k] - before, 0, q)
    sold = np.empty(len(key), np.int64)
    sold[order] = got
    return sold
