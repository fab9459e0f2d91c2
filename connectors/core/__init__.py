"""What every connector shares, whatever its POS, ERP and mode: the contract's environment
(`config`), durable state (`state`), retry timing (`retry`), HTTP with classified failures
(`http`), the webhook server (`server`, `signatures`), card-number scrubbing (`cards`,
`logs`), counters (`metrics`), errors (`errors`), the dialect-neutral documents between a
POS and an ERP adapter (`documents`, `masterdata`), the intake, stock and catalogue
machinery every mode uses (`intake`, `stock_changes`, `catalog_sync`), and the runtime that
assembles a connector (`runtime`, with `seams` to wrap its parts from outside).

Example::

    from connectors.core import Seams, run

    run("realtime")                  # what ``python -m connectors.realtime`` does
    run("batch", seams=Seams())      # the same, with parts wrapped by a `Seams` subclass
"""

from connectors.core.cards import luhn_valid, scrub
from connectors.core.config import ContractEnv, Integration
from connectors.core.documents import (
    DocumentLine,
    ErpDocument,
    Payment,
    PosDocument,
    PosOrder,
    Reading,
    StockChange,
)
from connectors.core.errors import (
    ApiError,
    ConfigError,
    ConnectorError,
    MappingError,
    RetriesExhausted,
)
from connectors.core.intake import Mapper, reference_mapper
from connectors.core.masterdata import CatalogueItem, CustomerRecord, ErpStockMove
from connectors.core.retry import RetryPolicy
from connectors.core.runtime import Connector, build, run
from connectors.core.seams import Seams
from connectors.core.state import NewPosting, Posting, StateStore

__all__ = [
    "ApiError",
    "CatalogueItem",
    "ConfigError",
    "Connector",
    "ConnectorError",
    "ContractEnv",
    "CustomerRecord",
    "DocumentLine",
    "ErpDocument",
    "ErpStockMove",
    "Integration",
    "Mapper",
    "MappingError",
    "NewPosting",
    "Payment",
    "PosDocument",
    "PosOrder",
    "Posting",
    "Reading",
    "RetriesExhausted",
    "RetryPolicy",
    "Seams",
    "StateStore",
    "StockChange",
    "build",
    "luhn_valid",
    "reference_mapper",
    "run",
    "scrub",
]
