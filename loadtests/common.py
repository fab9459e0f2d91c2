"""What the tillbench Locust files share: settings, the traffic stream, the worker tag."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, TextIO

import gevent
from load_env import LoadSettings
from locust import events
from locust.env import Environment
from locust.runners import WorkerRunner
from stream import Body, TxnStream, erp_invoice, first_pass

__all__ = [
    "SETTINGS",
    "erp_invoice",
    "is_worker",
    "preload_stream",
    "record_accept",
    "stream",
]

SETTINGS = LoadSettings.from_env()
_STREAM: list[TxnStream] = []
_PRELOADED: list[tuple[Any, list[Any]]] = []
"""The scenario and its first pass, simulated while the Locust file was imported."""
_ACCEPTS: list[TextIO] = []


def _scenario() -> Any:
    import scenarios

    return scenarios.load(SETTINGS.scenario)


def is_worker(environment: Environment) -> bool:
    return isinstance(environment.runner, WorkerRunner)


def _on_init(environment: Environment, **_kwargs: Any) -> None:
    runner = environment.runner
    index = getattr(runner, "worker_index", None) if is_worker(environment) else None
    tag = f"l{os.getpid()}" if index is None else f"w{index}-{os.getpid()}"
    scenario, first = _PRELOADED[-1] if _PRELOADED else (_scenario(), None)
    _STREAM.append(TxnStream(scenario, seed=SETTINGS.seed, tag=tag, first=first))
    accept_dir = os.environ.get("TILLBENCH_ACCEPT_DIR")
    if accept_dir:
        Path(accept_dir).mkdir(parents=True, exist_ok=True)
        path = Path(accept_dir) / f"accepted-{os.getpid()}.csv"
        _ACCEPTS.append(path.open("a", buffering=1))
    # gevent's loop caches "now" from its last turn; importing the Locust file (and
    # simulating the day for the stream) blocks it for seconds on a busy machine, and `-t`
    # is then counted from that stale time: the run ends before its first request.
    gevent.get_hub().loop.update_now()


events.init.add_listener(_on_init)  # type: ignore[no-untyped-call]


def preload_stream() -> None:
    """For Locust files whose users draw from `stream`: simulate the day now, while the
    file is imported (`stream.first_pass`), not once the test runs."""
    if not _PRELOADED:
        scenario = _scenario()
        _PRELOADED.append((scenario, first_pass(scenario, seed=SETTINGS.seed)))


def record_accept(body: Body) -> None:
    """Note that the POS accepted ``body`` now: ``txn_id,wall,base_id,kind`` (the end-to-end
    latency join and the run's truth read it)."""
    if _ACCEPTS:
        _ACCEPTS[-1].write(f"{body.txn_id},{time.time():.6f},{body.base_id},{body.kind}\n")


def stream() -> TxnStream:
    """This process's transaction stream (created when Locust initialises)."""
    return _STREAM[-1]
