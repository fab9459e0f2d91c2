"""Dialect-neutral documents → NetSuite REST record bodies.

- A sale → a ``cashSale`` (NetSuite's record of a sale paid at once, as a till's is); a
  return → a ``creditMemo``. The mapping of a POS sale to a cash sale (rather than an
  invoice and a customer payment) is this connector's choice: one record, posted when
  saved. ``externalId`` = the document's reference (the simulator's txn id); the connector
  sends it in the URL of an upsert (``PUT …/eid:{reference}``).
- Lines (``item.items``): the item and the store's location by ``externalId`` (SKU, store
  id), quantity, ``rate`` (unit price), ``amount`` (quantity × rate − discount) and
  ``taxRate1``, the line's *effective* percentage as for Business Central (five decimals,
  so that the ERP's rounding gives back the POS line tax to the cent). The amounts and the
  total are checked through ``domain`` first (`connectors.erp.bc.mapping.map_document`).
- A stock change → an ``inventoryAdjustment`` line (``adjustQtyBy`` a delta) at its store,
  its memo marked as the connector's (`connectors.erp.netsuite.catalogue.CONNECTOR_MEMO`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from connectors.core.documents import PosDocument, StockChange
from connectors.erp.bc import mapping as checked
from connectors.erp.netsuite.catalogue import CONNECTOR_MEMO

__all__ = ["DEFAULT_CUSTOMER", "map_document", "stock_payload"]

DEFAULT_CUSTOMER = checked.DEFAULT_CUSTOMER
"""The ERP's walk-in customer, by external id."""


def _line(line: dict[str, Any]) -> dict[str, Any]:
    quantity = Decimal(str(line["quantity"]))
    rate = Decimal(str(line["unitPrice"]))
    amount = quantity * rate - Decimal(str(line["discountAmount"]))
    return {
        "item": {"externalId": line["lineObjectNumber"]},
        "location": {"externalId": line["locationCode"]},
        "quantity": line["quantity"],
        "rate": line["unitPrice"],
        "amount": float(amount),
        "taxRate1": line["taxPercent"],
        "description": line["description"],
    }


def map_document(document: PosDocument, *, customer: str = DEFAULT_CUSTOMER) -> dict[str, Any]:
    """The ``cashSale`` / ``creditMemo`` body of a sale or return (`MappingError` when
    its lines do not add up)."""
    body = checked.map_document(document, customer_number=customer)
    lines = body[checked.lines_key(document.is_return)]
    return {
        "externalId": document.reference,
        "tranDate": document.day,
        "entity": {"externalId": customer},
        "location": {"externalId": document.store_id},
        "item": {"items": [_line(x) for x in lines]},
    }


def _memo(description: str) -> str:
    return f"{CONNECTOR_MEMO}: {description}"[: checked.DESCRIPTION]


def stock_payload(changes: Sequence[StockChange]) -> dict[str, Any]:
    """One ``inventoryAdjustment`` moving stock by all of ``changes``; each memo starts
    with `CONNECTOR_MEMO` (the ERP → POS sync skips the connector's own adjustments)."""
    first = changes[0]
    return {
        "externalId": first.id,
        "memo": _memo(first.description),
        "inventory": {
            "items": [
                {
                    "item": {"externalId": c.sku},
                    "location": {"externalId": c.store_id},
                    "adjustQtyBy": float(c.delta),
                    "memo": _memo(c.description),
                }
                for c in changes
            ]
        },
    }
