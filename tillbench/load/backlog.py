"""The connector's backlog sampled while load runs, and its growth rate.

`BacklogProbe` polls the connector's ``GET /metrics`` (``backlog``: work received but not
yet in the ERP, see connectors/CONTRACT.md) on a thread; `slope` is the least-squares
growth in items per second, `fit` gives its standard error too. A sustainable rate leaves
the backlog flat: it rises in the first moments of a step (work in flight) and then holds,
jittering with webhook batches and ERP latency; a slope clearly above zero across the step
means work piles up faster than the connector and the ERP clear it.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Sequence

import httpx

__all__ = ["BacklogProbe", "Fit", "fit", "slope"]


@dataclasses.dataclass(frozen=True, slots=True)
class Fit:
    """A least-squares line through the backlog samples: slope and its standard error."""

    slope: float
    """Items per second."""
    stderr: float
    """Standard error of the slope (0 for samples exactly on a line)."""


def fit(points: Sequence[tuple[float, float]]) -> Fit | None:
    """Least-squares fit of ``(seconds, backlog)`` points; None with fewer than 3 points
    or no spread in time."""
    if len(points) < 3:
        return None
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_b = sum(b for _, b in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread <= 0:
        return None
    rate = sum((t - mean_t) * (b - mean_b) for t, b in points) / spread
    residual = sum((b - mean_b - rate * (t - mean_t)) ** 2 for t, b in points)
    return Fit(slope=rate, stderr=math.sqrt(residual / (n - 2) / spread))


def slope(points: Sequence[tuple[float, float]]) -> float | None:
    """The slope of `fit`, or None."""
    found = fit(points)
    return None if found is None else found.slope


class BacklogProbe:
    """Samples ``{url}/metrics`` every ``every_s`` seconds between `start` and `stop`.

    ``points`` holds ``(wall, backlog)``; a connector without ``/metrics`` or without a
    numeric ``backlog`` leaves it empty (``available`` is then False).
    """

    def __init__(self, url: str, *, every_s: float = 0.5, timeout_s: float = 2.0) -> None:
        self.url = url.rstrip("/")
        self.every_s = every_s
        self.timeout_s = timeout_s
        self.points: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def available(self) -> bool:
        return bool(self.points)

    def read(self, client: httpx.Client | None = None) -> float | None:
        """The backlog now, or None if the connector does not say."""
        try:
            if client is None:
                response = httpx.get(f"{self.url}/metrics", timeout=self.timeout_s)
            else:
                response = client.get(f"{self.url}/metrics")
            value = response.json().get("backlog") if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError, AttributeError):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout_s) as client:
            while not self._stop.is_set():
                value = self.read(client)
                if value is not None:
                    self.points.append((time.time(), value))
                self._stop.wait(self.every_s)

    def start(self) -> BacklogProbe:
        self.points = []
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="backlog-probe", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout_s + self.every_s + 1)
            self._thread = None

    def growth(self, start_wall: float, end_wall: float) -> Fit | None:
        """The backlog's growth over the samples taken between the two wall times."""
        return fit([(t - start_wall, b) for t, b in self.points if start_wall <= t <= end_wall])
