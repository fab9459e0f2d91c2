"""Latency distributions: fixed, or lognormal fitted to a median and a 99th percentile."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mocks.faults.durations import parse_duration
from mocks.faults.errors import FaultError

_Z99 = 2.3263478740408408


@dataclass(frozen=True, slots=True)
class Latency:
    """A latency distribution in seconds: ``median`` alone is fixed, with ``p99`` lognormal."""

    median: float
    p99: float | None = None

    def __post_init__(self) -> None:
        if self.median < 0:
            raise FaultError("latency.median", self.median, "must be ≥ 0")
        if self.p99 is not None and self.p99 < self.median:
            raise FaultError("latency.p99", self.p99, f"must be ≥ median {self.median}")

    @property
    def sigma(self) -> float:
        """Log-space standard deviation fitted so that the 99th percentile equals ``p99``."""
        if self.p99 is None or self.median <= 0 or self.p99 == self.median:
            return 0.0
        return math.log(self.p99 / self.median) / _Z99

    def sample(self, rng: random.Random, *, scale: float = 1.0) -> float:
        """Draw one latency in seconds, multiplied by ``scale`` (load growth)."""
        sigma = self.sigma
        base = self.median if sigma == 0.0 else self.median * math.exp(rng.gauss(0.0, sigma))
        return base * scale

    @classmethod
    def parse(cls, value: object, *, field: str = "latency") -> Latency:
        """Build from ``"120ms"``, a number of seconds, or ``{median, p99}`` / ``{fixed}``."""
        if isinstance(value, Latency):
            return value
        if isinstance(value, str | int | float):
            return cls(parse_duration(value, field=field))
        if isinstance(value, Mapping):
            data: Mapping[str, Any] = value
            if "fixed" in data:
                return cls(parse_duration(data["fixed"], field=f"{field}.fixed"))
            if "median" not in data:
                raise FaultError(field, dict(data), "needs 'fixed' or 'median' (and 'p99')")
            p99 = data.get("p99")
            return cls(
                parse_duration(data["median"], field=f"{field}.median"),
                None if p99 is None else parse_duration(p99, field=f"{field}.p99"),
            )
        raise FaultError(field, value, "must be a duration or a mapping {median, p99}")
