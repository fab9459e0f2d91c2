"""Named, independent random streams derived from one seed.

``stream(seed, "arrivals", day, batch)`` always yields the same `numpy.random.Generator`
for the same arguments, and unrelated streams for different ones, so a run is exactly
reproducible and adding a consumer of randomness never shifts the draws of another.
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["stream"]


def stream(seed: int, *keys: str | int) -> np.random.Generator:
    words = [seed & 0xFFFFFFFF, (seed >> 32) & 0xFFFFFFFF]
    for key in keys:
        words.append(zlib.crc32(key.encode()) if isinstance(key, str) else int(key))
    return np.random.default_rng(np.random.SeedSequence(words))
