"""Thread-safe counters behind ``GET /metrics``."""

from __future__ import annotations

import threading
from collections import Counter


class Metrics:
    """Named integer counters (posted, retries, erp_requests, …)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, name: str, amount: int = 1) -> None:
        """Increase ``name`` by ``amount``."""
        with self._lock:
            self._counts[name] += amount

    def snapshot(self) -> dict[str, int]:
        """A copy of every counter."""
        with self._lock:
            return dict(self._counts)
