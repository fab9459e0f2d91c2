"""The Business Central adapter's real HTTP client with scripted mishaps (a crash before a
request, an answer lost after the ERP committed), for tests against the mock ERP on a
loopback port."""

from __future__ import annotations

import random
import threading
from typing import Any

from connectors.core.http import HttpApi, Reply, Transient
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy

POLICY = RetryPolicy(attempts=3, base=0.01, cap=0.05)


class Crash(BaseException):
    """The connector process dies here (SIGKILL: nothing after this line runs)."""


class Wire(HttpApi):
    """The real HTTP client with one scripted mishap: ``crash_before`` kills the process
    before a request whose path or body contains it is sent; ``lose_after`` sends such a
    request, lets the ERP commit it, and loses the answer (a timeout)."""

    def __init__(self, base: str, *, crash_before: str = "", lose_after: str = "") -> None:
        super().__init__(
            f"{base}/api/v2.0",
            "api-1",
            name="erp",
            policy=POLICY,
            timeout=5,
            rng=random.Random(7),
            metrics=Metrics(),
            stop=threading.Event(),
        )
        self.crash_before = crash_before
        self.lose_after = lose_after

    def once(self, method: str, path: str, **kwargs: Any) -> Reply:
        text = f"{path} {kwargs.get('json')}"
        if self.crash_before and self.crash_before in text:
            self.crash_before = ""
            raise Crash
        reply = super().once(method, path, **kwargs)
        if self.lose_after and self.lose_after in text:
            self.lose_after = ""
            raise Transient(0, True, None, "ReadTimeout: the answer was lost")
        return reply
