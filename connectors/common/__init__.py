"""What the reference connectors share: contract environment, POS and ERP clients with
retries, durable state, mapping, card scrubbing, the HTTP server and the run loop.

Public surface: `ContractEnv`, `Integration`, `RetryPolicy`, `scrub`, `luhn_valid`,
`map_order` (Business Central) and `map_tryton_order` (Tryton), `ErpBackend` with its
`Answer` and `Lookups` (the seam the posting machinery talks to), `StateStore`,
`PlantedBugs` (and ``connectors.common.runtime.run(mode)``, which starts a connector).
"""

from connectors.common.backend import Answer, ErpBackend, Lookups
from connectors.common.cards import luhn_valid, scrub
from connectors.common.config import ContractEnv, Integration
from connectors.common.errors import ApiError, ConfigError, ConnectorError, RetriesExhausted
from connectors.common.mapping import ErpDocument, MapOptions, MappingError, map_order
from connectors.common.planted import PlantedBugs
from connectors.common.retry import RetryPolicy
from connectors.common.state import StateStore
from connectors.common.tryton_mapping import map_tryton_order

__all__ = [
    "Answer",
    "ApiError",
    "ConfigError",
    "ConnectorError",
    "ContractEnv",
    "ErpBackend",
    "ErpDocument",
    "Integration",
    "Lookups",
    "MapOptions",
    "MappingError",
    "PlantedBugs",
    "RetriesExhausted",
    "RetryPolicy",
    "StateStore",
    "luhn_valid",
    "map_order",
    "map_tryton_order",
    "scrub",
]
