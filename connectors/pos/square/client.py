"""A Square API v2 client: orders, locations, catalogue, customers and inventory changes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from connectors.core.http import HttpApi

SEARCH_PAGE = 500
"""Square SearchOrders answers at most 500 orders per page."""
LOCATIONS_PER_SEARCH = 10
"""Square SearchOrders takes at most 10 location ids."""


class SquareClient:
    """Square v2 endpoints the connector uses."""

    def __init__(self, api: HttpApi) -> None:
        self.api = api

    def location_ids(self) -> list[str]:
        """Every location of the merchant."""
        body = self.api.call("GET", "/v2/locations").body or {}
        return [str(x["id"]) for x in body.get("locations") or []]

    def orders(self, order_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Orders by id (BatchRetrieveOrders, 100 at a time)."""
        found: list[dict[str, Any]] = []
        ids = list(dict.fromkeys(order_ids))
        for start in range(0, len(ids), 100):
            body = self.api.call(
                "POST", "/v2/orders/batch-retrieve", json={"order_ids": ids[start : start + 100]}
            ).body
            found.extend((body or {}).get("orders") or [])
        return found

    def completed_orders_since(
        self, location_ids: Sequence[str], updated_at: str | None
    ) -> Iterator[dict[str, Any]]:
        """COMPLETED orders updated at or after ``updated_at``, oldest update first."""
        for start in range(0, len(location_ids), LOCATIONS_PER_SEARCH):
            query: dict[str, Any] = {
                "filter": {"state_filter": {"states": ["COMPLETED"]}},
                "sort": {"sort_field": "UPDATED_AT", "sort_order": "ASC"},
            }
            if updated_at:
                query["filter"]["date_time_filter"] = {"updated_at": {"start_at": updated_at}}
            body: dict[str, Any] = {
                "location_ids": list(location_ids[start : start + LOCATIONS_PER_SEARCH]),
                "query": query,
                "limit": SEARCH_PAGE,
            }
            while True:
                page = self.api.call("POST", "/v2/orders/search", json=body).body or {}
                yield from page.get("orders") or []
                cursor = page.get("cursor")
                if not cursor:
                    break
                body = {**body, "cursor": cursor}

    def skus(self, object_ids: Sequence[str]) -> dict[str, str]:
        """SKU of each catalogue item variation id."""
        found: dict[str, str] = {}
        for object_id in dict.fromkeys(object_ids):
            body = self.api.call("GET", f"/v2/catalog/object/{object_id}").body or {}
            obj = body.get("object") or {}
            sku = (obj.get("item_variation_data") or {}).get("sku")
            if sku:
                found[object_id] = str(sku)
        return found

    def upsert_objects(self, variations: Sequence[dict[str, Any]]) -> None:
        """Write catalogue objects (items with their variations) back
        (BatchUpsertCatalogObjects)."""
        for start in range(0, len(variations), 1000):
            self.api.call(
                "POST",
                "/v2/catalog/batch-upsert",
                json={
                    "idempotency_key": str(uuid.uuid4()),
                    "batches": [{"objects": list(variations[start : start + 1000])}],
                },
            )

    def catalog_items(self) -> Iterator[dict[str, Any]]:
        """Every catalogue ITEM (ListCatalog, following cursors)."""
        params: dict[str, str] = {"types": "ITEM"}
        while True:
            body = self.api.call("GET", "/v2/catalog/list", params=params).body or {}
            yield from body.get("objects") or []
            if not body.get("cursor"):
                return
            params = {"types": "ITEM", "cursor": str(body["cursor"])}

    def inventory_changes(self, query: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Inventory changes matching ``query`` (BatchRetrieveInventoryChanges, every page)."""
        body = query
        while True:
            page = self.api.call("POST", "/v2/inventory/changes/batch-retrieve", json=body)
            data = page.body or {}
            yield from data.get("changes") or []
            if not data.get("cursor"):
                return
            body = {**body, "cursor": data["cursor"]}

    def change_inventory(self, payload: dict[str, Any]) -> None:
        """Apply inventory changes (BatchChangeInventory; idempotent by its key)."""
        self.api.call("POST", "/v2/inventory/changes/batch-create", json=payload)

    def customer_emails(self) -> set[str]:
        """E-mail addresses of every POS customer profile (lower case)."""
        emails: set[str] = set()
        params: dict[str, str] = {}
        while True:
            body = self.api.call("GET", "/v2/customers", params=params).body or {}
            for customer in body.get("customers") or []:
                if customer.get("email_address"):
                    emails.add(str(customer["email_address"]).lower())
            if not body.get("cursor"):
                return emails
            params = {"cursor": str(body["cursor"])}

    def create_customer(self, *, key: str, email: str, name: str, reference: str) -> None:
        """Create a customer profile (idempotent through ``key``)."""
        given, _, family = name.partition(" ")
        self.api.call(
            "POST",
            "/v2/customers",
            json={
                "idempotency_key": key,
                "given_name": given or name,
                "family_name": family,
                "email_address": email,
                "reference_id": reference,
            },
        )
