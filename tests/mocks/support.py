"""Shared by the mock tests: a wall clock that moves only when told, and an ASGI app served
on loopback for the tests that are about HTTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import uvicorn


@contextmanager
def on_loopback(
    app: Any, *, lifespan: Literal["auto", "on", "off"] = "auto", start_s: float = 15.0
) -> Iterator[str]:
    """Serve ``app`` under uvicorn on 127.0.0.1 (a free port) in a thread for the duration of
    the block; yields its base URL (``http://127.0.0.1:PORT``)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan=lifespan))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_s
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class FakeClock:
    """Wall time in epoch seconds for ``now=`` of the mock apps and the fault engine;
    ``advance`` moves it, so tests cross fault windows without sleeping."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of wall time pass."""
        self.now += seconds
