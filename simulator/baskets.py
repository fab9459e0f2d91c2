"""Baskets as numpy columns: sizes, SKUs, quantities and promotions.

Basket size (item lines) is Poisson-lognormal: the Poisson mean is lognormal with the
configured median and sigma (REFERENCE.md "Basket size"). A sale has at least one line, so
zero draws are redrawn (zero-truncation) and sizes are capped at ``max_items``. SKUs follow
the catalog's Zipf popularity, drawn by inverse CDF (``searchsorted``).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from numpy.typing import NDArray

from simulator.catalog import AliasTable
from simulator.params import Params

__all__ = ["Lines", "basket_size_pmf", "basket_sizes", "draw_lines"]


@dataclasses.dataclass(slots=True)
class Lines:
    """Line columns; ``owner`` is the customer index, lines of a customer are contiguous."""

    owner: NDArray[np.int64]
    sku: NDArray[np.int64]
    quantity: NDArray[np.int64]
    promo: NDArray[np.bool_]

    def take(self, index: NDArray[np.int64] | NDArray[np.bool_]) -> Lines:
        return Lines(self.owner[index], self.sku[index], self.quantity[index], self.promo[index])


def basket_sizes(
    rng: np.random.Generator, n: int, *, median: float, sigma: float, max_items: int
) -> NDArray[np.int64]:
    sizes = np.zeros(n, np.int64)
    todo = np.arange(n)
    while todo.size:
        lam = median * np.exp(sigma * rng.standard_normal(todo.size))
        k = rng.poisson(lam)
        ok = k > 0
        sizes[todo[ok]] = k[ok]
        todo = todo[~ok]
    return np.minimum(sizes, max_items)


def basket_size_pmf(median: float, sigma: float, max_items: int) -> NDArray[np.float64]:
    """P(size = n) for n = 0..max_items of the truncated, capped Poisson-lognormal."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    lam = median * np.exp(sigma * nodes)
    n = np.arange(max_items + 1)
    log_fact = np.array([math.lgamma(k + 1) for k in n])
    logp = -lam[None, :] + n[:, None] * np.log(lam[None, :]) - log_fact[:, None]
    pmf = (np.exp(logp) * weights[None, :]).sum(axis=1) / weights.sum()
    p0 = pmf[0]
    pmf[0] = 0.0
    pmf[-1] += max(0.0, 1.0 - p0 - pmf.sum())
    return np.asarray(pmf / pmf.sum(), dtype=np.float64)


def draw_lines(
    rng: np.random.Generator, params: Params, skus: AliasTable, sizes: NDArray[np.int64]
) -> Lines:
    """Lines for customers ``0..len(sizes)-1`` with ``sizes[i]`` lines each."""
    total = int(sizes.sum())
    owner = np.repeat(np.arange(len(sizes)), sizes)
    sku = skus.draw(rng, total)
    quantity = np.ones(total, np.int64)
    if params.quantity_max >= 2 and params.multi_unit_share > 0:
        multi = rng.random(total) < params.multi_unit_share
        quantity[multi] = rng.integers(2, params.quantity_max + 1, int(multi.sum()))
    promo = rng.random(total) < params.promo_share
    return Lines(owner.astype(np.int64), sku.astype(np.int64), quantity, promo)
