"""ERP → POS: the ERP is the source of truth for items, prices, customers and deliveries.

Every ``catalog_poll`` seconds: items modified in the ERP since the stored cursor get their
price written to the POS item variation with the same SKU (new SKUs become new POS items);
customers modified since their cursor are created in the POS unless a profile with the same
e-mail exists (no duplicate profiles); ERP-side stock moves go to the POS
(`connectors.common.deliveries`). The first poll compares the whole catalogue.
"""

from __future__ import annotations

import logging
import threading
from decimal import Decimal
from typing import Any

from connectors.common.deliveries import carry_deliveries
from connectors.common.erp import ErpClient
from connectors.common.errors import ConnectorError
from connectors.common.http import Stopping
from connectors.common.metrics import Metrics
from connectors.common.pos import PosClient
from connectors.common.state import StateStore

log = logging.getLogger("connector.catalog")


def minor_units(price: object, exponent: int = 2) -> int:
    """An ERP unit price (a JSON number) in POS minor units, half up."""
    return int(Decimal(str(price)).scaleb(exponent).to_integral_value())


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


class CatalogSync:
    """Polls the ERP for changed items and customers and carries them to the POS."""

    def __init__(
        self,
        *,
        store: StateStore,
        erp: ErpClient,
        pos: PosClient,
        interval: float,
        metrics: Metrics,
        stop: threading.Event,
        currency: str = "USD",
    ) -> None:
        self.store = store
        self.erp = erp
        self.pos = pos
        self.interval = interval
        self.metrics = metrics
        self.stop = stop
        self.currency = currency
        self._variations: dict[str, dict[str, Any]] | None = None
        self.thread = threading.Thread(target=self._loop, name="catalog-sync", daemon=True)

    def join(self, timeout: float) -> None:
        """Wait for the thread after ``stop`` was set."""
        self.thread.join(timeout)

    def start(self) -> None:
        """Start polling."""
        self.thread.start()

    def _loop(self) -> None:
        while not self.stop.wait(self.interval):
            try:
                self.sync_items()
                self.sync_customers()
                self.sync_receipts()
            except Stopping:
                return
            except ConnectorError as error:
                log.warning("catalogue sync failed, next poll retries: %s", error)

    def _pos_items(self) -> dict[str, dict[str, Any]]:
        """POS items (with their variations) keyed by each variation's SKU."""
        if self._variations is None:
            found: dict[str, dict[str, Any]] = {}
            params: dict[str, str] = {"types": "ITEM"}
            while True:
                body = self.pos.api.call("GET", "/v2/catalog/list", params=params).body or {}
                for obj in body.get("objects") or []:
                    if obj.get("is_deleted"):
                        continue
                    for variation in (obj.get("item_data") or {}).get("variations") or []:
                        sku = (variation.get("item_variation_data") or {}).get("sku")
                        if sku:
                            found[str(sku)] = obj
                if not body.get("cursor"):
                    break
                params = {"types": "ITEM", "cursor": str(body["cursor"])}
            self._variations = found
        return self._variations

    def sync_items(self) -> int:
        """Carry changed ERP items to the POS; returns how many POS items were written."""
        cursor = self.store.cursor("erp_items")
        items = self.erp.items_changed_since(cursor)
        if not items:
            return 0
        pos_items = self._pos_items()
        changed: dict[str, dict[str, Any]] = {}
        for item in items:
            sku = str(item.get("number") or "")
            price = minor_units(item.get("unitPrice", 0))
            parent = pos_items.get(sku)
            if parent is None:
                changed[f"#item-{sku}"] = self._new_item(
                    sku, str(item.get("displayName") or sku), price
                )
                continue
            parent = changed.get(str(parent["id"]), parent)
            variations = (parent.get("item_data") or {}).get("variations") or []
            target = next(
                v for v in variations if (v.get("item_variation_data") or {}).get("sku") == sku
            )
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
                vsku = (variation.get("item_variation_data") or {}).get("sku")
                if vsku:
                    pos_items[str(vsku)] = updated
        if changed:
            self.pos.upsert_objects(list(changed.values()))
            self._variations = None
            self.metrics.add("catalog_updates", len(changed))
            log.info("carried %d catalogue changes to the POS", len(changed))
        newest = max(str(i.get("lastModifiedDateTime") or "") for i in items)
        self.store.set_cursor("erp_items", newest)
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

    def sync_receipts(self) -> int:
        """Carry ERP-side stock moves to the POS (see `connectors.common.deliveries`)."""
        return carry_deliveries(
            store=self.store,
            erp=self.erp,
            pos=self.pos,
            items=self._pos_items,
            metrics=self.metrics,
        )

    def sync_customers(self) -> int:
        """Create POS profiles for ERP customers with an e-mail the POS does not know."""
        cursor = self.store.cursor("erp_customers")
        customers = self.erp.customers_changed_since(cursor)
        if not customers:
            return 0
        with_email = [c for c in customers if c.get("email")]
        created = 0
        if with_email:
            known = self.pos.customer_emails()
            for customer in with_email:
                email = str(customer["email"]).lower()
                if email in known:
                    continue
                self.pos.create_customer(
                    key=f"erp-customer-{customer['id']}",
                    email=email,
                    name=str(customer.get("displayName") or email),
                    reference=str(customer.get("number") or ""),
                )
                known.add(email)
                created += 1
        newest = max(str(c.get("lastModifiedDateTime") or "") for c in customers)
        self.store.set_cursor("erp_customers", newest)
        self.metrics.add("customers_created", created)
        return created
