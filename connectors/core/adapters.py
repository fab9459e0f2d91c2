"""How the connector finds and builds its parts by name: the registries of POS and ERP
adapters (`connectors.pos.ADAPTERS`, `connectors.erp.ADAPTERS`) and of modes map a name to
``"module:factory"``, imported only when that name is chosen, so a dialect nobody uses
costs nothing and adding one touches nothing else.

Every adapter factory takes an `AdapterContext`.
"""

from __future__ import annotations

import importlib
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from connectors.core.config import ContractEnv
from connectors.core.errors import ConfigError
from connectors.core.http import HttpApi
from connectors.core.metrics import Metrics
from connectors.core.state import StateStore


@dataclass(frozen=True, slots=True)
class AdapterContext:
    """What an adapter factory gets to build its adapter."""

    env: ContractEnv
    """The contract's environment (URLs, tokens, settings)."""
    store: StateStore
    """The connector's durable state (e.g. as a cache of catalogue lookups)."""
    metrics: Metrics
    """Counters behind ``/metrics`` (HTTP clients count requests and retries there)."""
    stop: threading.Event
    """Set when the connector shuts down: retries stop waiting."""
    rng: random.Random
    """Seeds the adapter's own randomness (retry jitter)."""

    def http(self, side: Literal["pos", "erp"]) -> HttpApi:
        """The HTTP client of one side of the contract: its URL and token, the integration's
        retry policy and timeout, retry jitter seeded from `rng`, the connector's metrics and
        stop event; the ERP side keeps a connection per writer and two spare (the POS side 8)."""
        env, integration = self.env, self.env.integration
        erp = side == "erp"
        return HttpApi(
            env.erp_url if erp else env.pos_url,
            env.erp_token if erp else env.pos_token,
            name=side,
            policy=integration.retry,
            timeout=integration.request_timeout,
            rng=random.Random(self.rng.random()),
            metrics=self.metrics,
            stop=self.stop,
            pool=integration.workers + 2 if erp else 8,
        )


def load(registry: Mapping[str, str], name: str, variable: str) -> Any:
    """The factory ``registry[name]`` names (``"module:attribute"``), imported now;
    `ConfigError` naming ``variable`` when there is no such entry."""
    spec = registry.get(name)
    if spec is None:
        choices = ", ".join(sorted(registry))
        raise ConfigError(variable, name, f"must be one of {choices}")
    module, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module), attribute)
