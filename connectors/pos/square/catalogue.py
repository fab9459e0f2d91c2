"""ERP → Square: prices and new items (BatchUpsertCatalogObjects, matched by SKU),
customers (matched by e-mail, so no profile is created twice) and ERP-side stock moves as
inventory adjustments (reference ``erp-journal-line-<id>``, so the POS → ERP stock sync
never echoes them back).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from connectors.core.masterdata import CatalogueItem, CustomerRecord, ErpStockMove
from connectors.pos.square.client import SquareClient
from connectors.pos.square.stock import OWN_PREFIX

CHANGES_PER_REQUEST = 100
"""BatchChangeInventory takes at most 100 changes."""


def minor_units(price: Decimal, exponent: int = 2) -> int:
    """A unit price in major units as POS minor units (half even)."""
    return int(price.scaleb(exponent).to_integral_value())


def _without_versions(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in ("version", "updated_at")}


def _priced(variation: dict[str, Any], price: int, currency: str) -> dict[str, Any]:
    data = variation.get("item_variation_data") or {}
    return {
        **_without_versions(variation),
        "item_variation_data": {
            **data,
            "pricing_type": "FIXED_PRICING",
            "price_money": {"amount": price, "currency": currency},
        },
    }


def _sku_of(variation: Mapping[str, Any]) -> Any:
    return (variation.get("item_variation_data") or {}).get("sku")


class SquareCatalogue:
    """Writes the ERP's catalogue, customers and stock moves to Square."""

    def __init__(self, client: SquareClient, *, currency: str = "USD") -> None:
        self.client = client
        self.currency = currency
        self._items: dict[str, dict[str, Any]] | None = None

    def items(self) -> dict[str, dict[str, Any]]:
        """POS items (with their variations) keyed by each variation's SKU (cached until the
        next write)."""
        if self._items is None:
            found: dict[str, dict[str, Any]] = {}
            for obj in self.client.catalog_items():
                if obj.get("is_deleted"):
                    continue
                for variation in (obj.get("item_data") or {}).get("variations") or []:
                    sku = _sku_of(variation)
                    if sku:
                        found[str(sku)] = obj
            self._items = found
        return self._items

    def write_prices(self, items: Sequence[CatalogueItem]) -> int:
        """Upsert the items whose price differs (new SKUs become new items); returns how
        many POS items were written."""
        pos_items = self.items()
        changed: dict[str, dict[str, Any]] = {}
        for item in items:
            sku = item.sku
            price = minor_units(item.unit_price)
            parent = pos_items.get(sku)
            if parent is None:
                changed[f"#item-{sku}"] = self._new_item(sku, item.name or sku, price)
                continue
            parent = changed.get(str(parent["id"]), parent)
            variations = (parent.get("item_data") or {}).get("variations") or []
            target = next(v for v in variations if _sku_of(v) == sku)
            data = target.get("item_variation_data") or {}
            if int((data.get("price_money") or {}).get("amount", -1)) == price:
                continue
            updated = {
                **_without_versions(parent),
                "item_data": {
                    **parent["item_data"],
                    "variations": [
                        _priced(v, price, self.currency) if v is target else _without_versions(v)
                        for v in variations
                    ],
                },
            }
            changed[str(parent["id"])] = updated
            for variation in updated["item_data"]["variations"]:
                vsku = _sku_of(variation)
                if vsku:
                    pos_items[str(vsku)] = updated
        if changed:
            self.client.upsert_objects(list(changed.values()))
            self._items = None
        return len(changed)

    def _new_item(self, sku: str, name: str, price: int) -> dict[str, Any]:
        item_id = f"#item-{sku}"
        return {
            "type": "ITEM",
            "id": item_id,
            "item_data": {
                "name": name,
                "variations": [
                    {
                        "type": "ITEM_VARIATION",
                        "id": f"#var-{sku}",
                        "item_variation_data": {
                            "item_id": item_id,
                            "name": "Regular",
                            "sku": sku,
                            "pricing_type": "FIXED_PRICING",
                            "price_money": {"amount": price, "currency": self.currency},
                            "track_inventory": True,
                        },
                    }
                ],
            },
        }

    def customer_emails(self) -> set[str]:
        """E-mail addresses of every Square customer (lower case)."""
        return self.client.customer_emails()

    def create_customer(self, customer: CustomerRecord) -> None:
        """A Square customer for an ERP one (the idempotency key names the ERP id)."""
        self.client.create_customer(
            key=f"erp-customer-{customer.id}",
            email=customer.email.lower(),
            name=customer.name or customer.email.lower(),
            reference=customer.number,
        )

    def stock_receipts(
        self, moves: Sequence[ErpStockMove]
    ) -> tuple[list[dict[str, Any]], list[str]]:
        """BatchChangeInventory requests (100 changes each) for ``moves``; moves of SKUs the
        POS does not sell are left for later, zero moves need no change."""
        by_sku = self.items()
        changes: list[dict[str, Any]] = []
        carried: list[str] = []
        moment = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        for move in moves:
            variation = _variation_id(by_sku.get(move.sku), move.sku)
            if variation is None:
                continue
            carried.append(move.id)
            if move.quantity == 0:
                continue
            inbound = move.quantity > 0
            changes.append(
                {
                    "type": "ADJUSTMENT",
                    "adjustment": {
                        "reference_id": f"{OWN_PREFIX}{move.id}",
                        "from_state": "NONE" if inbound else "IN_STOCK",
                        "to_state": "IN_STOCK" if inbound else "WASTE",
                        "catalog_object_id": variation,
                        "location_id": move.store_id,
                        "quantity": f"{abs(move.quantity):f}",
                        "occurred_at": moment,
                    },
                }
            )
        payloads = [
            {
                "idempotency_key": str(uuid.uuid4()),
                "changes": changes[start : start + CHANGES_PER_REQUEST],
            }
            for start in range(0, len(changes), CHANGES_PER_REQUEST)
        ]
        return payloads, carried

    def send_stock_receipt(self, payload: Mapping[str, Any]) -> int:
        """Send one BatchChangeInventory request; returns its number of changes."""
        self.client.change_inventory(dict(payload))
        return len(payload["changes"])


def _variation_id(item: dict[str, Any] | None, sku: str) -> str | None:
    if item is None:
        return None
    for variation in (item.get("item_data") or {}).get("variations") or []:
        if _sku_of(variation) == sku:
            return str(variation["id"])
    return None
