"""What the reference connectors share: contract environment, POS and ERP clients with
retries, durable state, mapping, card scrubbing, the HTTP server and the run loop.

Public surface: `ContractEnv`, `Integration`, `RetryPolicy`, `scrub`, `luhn_valid`,
`map_order`, `StateStore`, `PlantedBugs` (and ``connectors.common.runtime.run(mode)``, which
starts a connector).
"""

from connectors.common.cards import luhn_valid, scrub
from connectors.common.config import ContractEnv, Integration
from connectors.common.errors import ApiError, ConfigError, ConnectorError, RetriesExhausted
from connectors.common.mapping import ErpDocument, MapOptions, MappingError, map_order
from connectors.common.planted import PlantedBugs
from connectors.common.retry import RetryPolicy
from connectors.common.state import StateStore

__all__ = [
    "ApiError",
    "ConfigError",
    "ConnectorError",
    "ContractEnv",
    "ErpDocument",
    "Integration",
    "MapOptions",
    "MappingError",
    "PlantedBugs",
    "RetriesExhausted",
    "RetryPolicy",
    "StateStore",
    "luhn_valid",
    "map_order",
    "scrub",
]
