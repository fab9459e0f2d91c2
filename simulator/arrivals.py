"""Customer arrivals: a non-homogeneous Poisson process per store, vectorised.

The intensity is piecewise constant per hour of the day::

    λ(store, day, hour) = customers_per_store_day × 7 × weekday share(day) × size factor
                          × multiplier × event multiplier(day) × hourly weight(hour)

with the hourly weights renormalised over the opening hours (zero outside them), so an
average weekday brings ``customers_per_store_day × size × multiplier`` customers. For a
piecewise-constant intensity the process is sampled exactly: a Poisson count per piece,
then uniform times inside the piece (the inverse of the cumulative intensity on each piece).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
from numpy.typing import NDArray

from simulator.params import Params
from simulator.profiles import event_weights

__all__ = ["DayPieces", "day_pieces", "sample_arrivals"]

HOUR = 3600.0


@dataclasses.dataclass(frozen=True, slots=True)
class DayPieces:
    """Hour pieces of one calendar day inside the opening hours and the simulated window."""

    start_t: NDArray[np.float64]
    """piece start, seconds since scenario start"""
    length: NDArray[np.float64]
    hour: NDArray[np.int64]
    expected: NDArray[np.float64]
    """expected arrivals per piece for a store of size factor 1"""


def day_pieces(params: Params, day: int) -> DayPieces:
    date = params.start.date() + dt.timedelta(days=day)
    midnight_t = params.day_start_t(day)
    hours = np.arange(24, dtype=np.float64) * HOUR
    open_len = np.clip(
        np.minimum(hours + HOUR, params.close_s) - np.maximum(hours, params.open_s), 0, HOUR
    )
    lo = np.maximum(np.maximum(hours, params.open_s), -midnight_t)
    hi = np.minimum(np.minimum(hours + HOUR, params.close_s), params.duration_s - midnight_t)
    inside = np.clip(hi - lo, 0, None)

    weights = np.asarray(params.hourly, dtype=np.float64)
    factor = 7.0 * params.weekday[date.weekday()] * params.multiplier
    peak = None
    event_multiplier = 1.0
    for event in params.events:
        if event.date == date:
            event_multiplier *= event.multiplier
            peak = event.peak_hour if peak is None else peak
    factor *= event_multiplier
    open_fraction = open_len / HOUR
    shares = weights * open_fraction
    if shares.sum() > 0:
        shares = shares / shares.sum()
    if peak is not None:
        shares = event_weights(shares, open_fraction, peak, event_multiplier)
    per_open_second = np.where(open_len > 0, shares / np.maximum(open_len, 1e-9), 0.0)
    expected = params.customers_per_store_day * factor * per_open_second * inside
    keep = inside > 0
    return DayPieces(
        start_t=(midnight_t + lo)[keep],
        length=inside[keep],
        hour=np.arange(24)[keep],
        expected=expected[keep],
    )


def sample_arrivals(
    rng: np.random.Generator, pieces: DayPieces, size_factor: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Arrivals of a batch of stores: (store index in the batch, time), sorted by both."""
    lam = size_factor[:, None] * pieces.expected[None, :]
    counts = rng.poisson(lam).ravel()
    n_pieces = len(pieces.expected)
    store = np.repeat(np.repeat(np.arange(len(size_factor)), n_pieces), counts)
    piece = np.repeat(np.tile(np.arange(n_pieces), len(size_factor)), counts)
    t = pieces.start_t[piece] + rng.random(counts.sum()) * pieces.length[piece]
    since_first = t - (pieces.start_t[0] if n_pieces else 0.0)
    order = np.argsort(store * 1e6 + since_first, kind="stable")
    return store[order].astype(np.int64), t[order]
