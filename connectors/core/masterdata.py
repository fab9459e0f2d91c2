"""The dialect-neutral records of the ERP → POS sync: the ERP owns items, prices and
customers, and stock moved on its side (deliveries, write-offs) goes to the POS too.

An ERP adapter's catalogue source reads them (`connectors.erp.ErpCatalogue`); a POS
adapter's catalogue writes them (`connectors.pos.PosCatalogue`); `CatalogSync` carries
them across.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    """An ERP item: the POS sells it under ``sku`` at ``unit_price``."""

    sku: str
    name: str
    unit_price: Decimal
    """Major units (e.g. 12.34)."""
    modified: str
    """When the ERP last changed it, in the ERP's sortable form (the sync's cursor)."""


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """An ERP customer; the POS knows a customer by e-mail (no profile twice)."""

    id: str
    number: str
    name: str
    email: str
    modified: str


@dataclass(frozen=True, slots=True)
class ErpStockMove:
    """Stock moved in the ERP by someone else than the connector (a delivery, a
    write-off): the POS's book must follow, exactly once."""

    id: str
    sku: str
    store_id: str
    quantity: Decimal
    """Units into (+) or out of (-) the store."""
