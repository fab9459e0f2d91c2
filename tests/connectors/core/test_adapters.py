"""`AdapterContext.http`: each side's client from the contract's environment."""

from __future__ import annotations

import random
import threading
from pathlib import Path

from connectors.core.adapters import AdapterContext
from connectors.core.config import ContractEnv
from connectors.core.metrics import Metrics
from connectors.core.state import StateStore
from tests.connectors.core.test_config import environ


def _context(tmp_path: Path) -> AdapterContext:
    env = ContractEnv.from_environ(environ(tmp_path))
    return AdapterContext(
        env=env,
        store=StateStore(tmp_path / "state"),
        metrics=Metrics(),
        stop=threading.Event(),
        rng=random.Random(1),
    )


def test_each_side_gets_its_url_token_and_pool(tmp_path: Path) -> None:
    context = _context(tmp_path)
    pos, erp = context.http("pos"), context.http("erp")
    try:
        assert (pos.name, pos.base_url) == ("pos", "http://127.0.0.1:8101")
        assert (erp.name, erp.base_url) == ("erp", "http://127.0.0.1:8102/api/v2.0")
        assert pos._client.headers["Authorization"] == "Bearer p"
        assert erp._client.headers["Authorization"] == "Bearer e"
        assert pos.stop is erp.stop is context.stop
        assert pos.policy == context.env.integration.retry
        writers = context.env.integration.workers
        assert erp._client._transport._pool._max_connections == writers + 2  # type: ignore[attr-defined]
        assert pos._client._transport._pool._max_connections == 8  # type: ignore[attr-defined]
    finally:
        pos.close()
        erp.close()
