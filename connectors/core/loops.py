"""Worker threads: what the runtime starts and joins (`Worker`), and `every`, a thread
that runs a step at an interval until the connector stops."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from connectors.core.errors import ConnectorError
from connectors.core.http import Stopping

log = logging.getLogger("connector.runtime")


class Worker(Protocol):
    """Something that runs in the background until the connector's stop event is set."""

    def start(self) -> None:
        """Start running."""
        ...

    def join(self, timeout: float) -> None:
        """Wait (at most ``timeout`` seconds) for it to finish after the stop event."""
        ...


def every(
    name: str, interval: float, stop: threading.Event, step: Callable[[], object]
) -> threading.Thread:
    """A daemon thread calling ``step`` every ``interval`` seconds until ``stop`` is set;
    a round that fails is logged and the next one tries again."""

    def run() -> None:
        while not stop.is_set():
            try:
                step()
            except Stopping:
                return
            except ConnectorError as error:
                log.warning("%s failed, next round retries: %s", name, error)
            except Exception:
                log.exception("%s crashed a round", name)
            if stop.wait(interval):
                return

    return threading.Thread(target=run, name=name, daemon=True)
