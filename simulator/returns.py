"""Which earlier sale line a receipted return brings back.

Each batch of stores keeps a bounded pool of candidate lines: a uniform sample of every
day's non-voided lines of sales that were not post-voided, dropped once older than the
return window. A receipted return picks uniformly among its store's candidates that
completed within the window before the return; with none (early in a run) it references a
synthetic sale of the pre-period instead. The pool is a sample, so memory stays bounded on
long runs. A picked line leaves the pool, so no sale line is returned twice.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

__all__ = ["SAMPLE_PER_STORE_DAY", "ReturnPool"]

SAMPLE_PER_STORE_DAY = 256
_STRIDE = 1e9
_FIELDS = ("t", "store", "lane", "seq", "line_no", "sku", "quantity", "unit")


@dataclasses.dataclass(slots=True)
class ReturnPool:
    """Candidate lines sorted by (store, t); ``store`` is the index within the batch.

    Small integers are kept as int32: the pool of a 30-day, 1,000-store run holds ~8M lines.
    """

    t: NDArray[np.float64] = dataclasses.field(default_factory=lambda: np.zeros(0))
    store: NDArray[np.int32] = dataclasses.field(default_factory=lambda: np.zeros(0, np.int32))
    lane: NDArray[np.int32] = dataclasses.field(default_factory=lambda: np.zeros(0, np.int32))
    seq: NDArray[np.int32] = dataclasses.field(default_factory=lambda: np.zeros(0, np.int32))
    line_no: NDArray[np.int32] = dataclasses.field(default_factory=lambda: np.zeros(0, np.int32))
    sku: NDArray[np.int32] = dataclasses.field(default_factory=lambda: np.zeros(0, np.int32))
    quantity: NDArray[np.int32] = dataclasses.field(default_factory=lambda: np.zeros(0, np.int32))
    unit: NDArray[np.int64] = dataclasses.field(default_factory=lambda: np.zeros(0, np.int64))

    def __len__(self) -> int:
        return len(self.t)

    def extended(self, **columns: NDArray[np.generic]) -> ReturnPool:
        """A pool with more candidates, kept sorted."""
        merged = {
            f: np.concatenate([getattr(self, f), columns[f].astype(getattr(self, f).dtype)])
            for f in _FIELDS
        }
        order = np.lexsort((merged["t"], merged["store"]))
        return ReturnPool(**{f: merged[f][order] for f in _FIELDS})

    def pruned(self, before_t: float) -> ReturnPool:
        keep = self.t >= before_t
        return ReturnPool(**{f: getattr(self, f)[keep] for f in _FIELDS})

    def pick(
        self,
        rng: np.random.Generator,
        store: NDArray[np.int64],
        t: NDArray[np.float64],
        window_s: float,
    ) -> NDArray[np.int64]:
        """Index of a candidate per return (``-1`` when the store has none in the window).

        A line is picked at most once: when two returns draw the same line, the later ones
        get ``-1``. Remove the picked lines with `without` so later days cannot pick them.
        """
        key = self.store * _STRIDE + self.t
        lo = np.searchsorted(key, store * _STRIDE + t - window_s, side="left")
        hi = np.searchsorted(key, store * _STRIDE + t, side="left")
        span = hi - lo
        pick = np.where(span > 0, lo + np.floor(rng.random(len(t)) * span).astype(np.int64), -1)
        _, first = np.unique(pick, return_index=True)
        repeated = np.ones(len(pick), bool)
        repeated[first] = False
        return np.where(repeated, -1, pick)

    def without(self, used: NDArray[np.int64]) -> ReturnPool:
        """The pool minus the candidates at ``used`` (already returned)."""
        keep = np.ones(len(self), bool)
        keep[used[used >= 0]] = False
        return ReturnPool(**{f: getattr(self, f)[keep] for f in _FIELDS})
