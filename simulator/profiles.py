"""How an event day reshapes the hourly profile (the profiles are `scenarios.HOURLY_PROFILES`).

REFERENCE.md "Black Friday": busiest in-store day, peak hour 14:00-15:00 — an event's
``peak`` concentrates its extra traffic around that hour.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["event_weights"]

_PEAK_SIGMA_H = 1.5


def event_weights(
    base: NDArray[np.float64],
    open_fraction: NDArray[np.float64],
    peak_hour: float,
    multiplier: float,
) -> NDArray[np.float64]:
    """Hourly shares of an event day whose extra traffic concentrates at ``peak_hour``.

    ``base`` are the ordinary day's shares (summing to 1 over the open hours). The event
    brings ``multiplier`` times the traffic: the ordinary part keeps its shape, the extra
    ``multiplier - 1`` follows a normal curve (sigma 1.5 h) around the peak, within the
    opening hours. The result sums to 1; the caller applies the multiplier.
    """
    centre = np.arange(24) + 0.5
    bump = np.exp(-((centre - peak_hour) ** 2) / (2 * _PEAK_SIGMA_H**2)) * open_fraction
    if multiplier <= 1 or bump.sum() <= 0:
        return base
    extra = (multiplier - 1) * bump / bump.sum()
    return np.asarray((base + extra) / multiplier, dtype=np.float64)
