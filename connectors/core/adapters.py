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
from typing import Any

from connectors.core.config import ContractEnv
from connectors.core.errors import ConfigError
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


def load(registry: Mapping[str, str], name: str, variable: str) -> Any:
    """The factory ``registry[name]`` names (``"module:attribute"``), imported now;
    `ConfigError` naming ``variable`` when there is no such entry."""
    spec = registry.get(name)
    if spec is None:
        choices = ", ".join(sorted(registry))
        raise ConfigError(variable, name, f"must be one of {choices}")
    module, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module), attribute)
