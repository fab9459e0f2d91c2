"""A webhook receiver on a real loopback socket (uvicorn in a thread) for delivery tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.mocks.support import on_loopback


@dataclass
class Receiver:
    """Records every POST; answers `fail_first` requests with 500, then 200."""

    fail_first: int = 0
    calls: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        with self.lock:
            self.calls.append((headers, body))
            status = 500 if len(self.calls) <= self.fail_first else 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    def wait_for(
        self, predicate: Callable[[list[tuple[dict[str, str], bytes]]], bool], timeout: float = 10.0
    ) -> list[tuple[dict[str, str], bytes]]:
        """Poll until `predicate(calls)` holds; fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                calls = list(self.calls)
            if predicate(calls):
                return calls
            time.sleep(0.02)
        raise AssertionError(
            f"receiver condition not met in {timeout} s; got {len(self.calls)} calls"
        )


@contextmanager
def running(receiver: Receiver, path: str = "/hooks/square") -> Iterator[Receiver]:
    """Serve `receiver` on 127.0.0.1 (a free port) for the duration of the block."""
    with on_loopback(receiver, lifespan="off") as base:
        receiver.url = f"{base}{path}"
        yield receiver
