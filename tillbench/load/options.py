"""`LoadOptions`: how ``tillbench load`` loads — the shape, its rates, the search, the waits."""

from __future__ import annotations

import dataclasses

from tillbench.load.errors import LoadError
from tillbench.load.saturate import Slo

__all__ = ["DRAIN_S", "SETTLE_S", "SHAPES", "TARGETS", "LoadOptions"]

SHAPES = ("day", "ramp", "spike", "soak", "saturate")
TARGETS = ("integration", "erp")
SETTLE_S = 120.0
"""Longest wait after the load for the connector to carry everything to the ERP."""
DRAIN_S = 30.0
"""Longest wait after each integration saturation step for the backlog to clear."""


_POSITIVE = {
    "duration_s": "--duration",
    "rate": "--rate",
    "user_rate": "--user-rate",
    "step_s": "--step",
    "settle_s": "--settle-timeout",
    "drain_s": "--drain-timeout",
}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LoadOptions:
    """How to load: the shape, its rates (req/s) and, for ``saturate``, the search."""

    shape: str = "day"
    duration_s: float = 60.0
    rate: float = 20.0
    """Peak rate (day), start rate (ramp, saturate), base rate (spike), rate (soak)."""
    user_rate: float = 2.0
    """Requests per second each simulated user paces itself at."""
    step_rate: float = 10.0
    step_s: float = 10.0
    spike_rate: float = 100.0
    workers: int = 0
    factor: float = 1.5
    refine: int = 1
    max_rate: float = 5000.0
    slo: Slo = dataclasses.field(default_factory=Slo)
    """``slo.e2e_p95_s`` None: the scenario's ``slo.sync_latency_p95`` (wall seconds)."""
    target: str = "integration"
    """``saturate`` through the ``integration`` (POS → connector → ERP) or the ``erp`` alone."""
    settle_s: float = SETTLE_S
    drain_s: float = DRAIN_S

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise LoadError(f"--shape must be one of {', '.join(SHAPES)}, got {self.shape!r}")
        if self.target not in TARGETS:
            raise LoadError(f"--target must be one of {', '.join(TARGETS)}, got {self.target!r}")
        for name, option in _POSITIVE.items():
            if not getattr(self, name) > 0:
                raise LoadError(f"{name} ({option}) must be > 0, got {getattr(self, name)!r}")

    @property
    def through_integration(self) -> bool:
        return self.shape != "saturate" or self.target == "integration"

    def env(self) -> dict[str, str]:
        return {
            "TILLBENCH_SHAPE": self.shape,
            "TILLBENCH_DURATION": str(self.duration_s),
            "TILLBENCH_RATE": str(self.rate),
            "TILLBENCH_USER_RATE": str(self.user_rate),
            "TILLBENCH_STEP_RATE": str(self.step_rate),
            "TILLBENCH_STEP_S": str(self.step_s),
            "TILLBENCH_SPIKE_RATE": str(self.spike_rate),
            "TILLBENCH_SPIKE_AT": str(self.duration_s / 3),
            "TILLBENCH_SPIKE_S": str(self.duration_s / 6),
        }
