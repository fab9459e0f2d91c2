"""ERP → Shopify: prices and new items (productCreate, then productVariantsBulkUpdate for
SKU and price; matched by SKU), customers (matched by e-mail) and ERP-side stock moves as
``inventoryAdjustQuantities`` deltas with an ``@idempotent`` key per move, so a resend never
moves stock twice."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from connectors.core.masterdata import CatalogueItem, CustomerRecord, ErpStockMove
from connectors.pos.shopify.client import ShopifyClient

VARIANTS = """query Variants($after: String) {
  productVariants(first: 250, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id sku price product { id } inventoryItem { id } }
  }
}"""
CREATE = """mutation Create($title: String!) {
  productCreate(product: {title: $title}) {
    product { id variants(first: 1) { nodes { id } } }
    userErrors { field message }
  }
}"""
UPDATE = """mutation Price($p: ID!, $v: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $p, variants: $v) { userErrors { field message } }
}"""
CUSTOMERS = """query Customers($after: String) {
  customers(first: 250, after: $after) { pageInfo { hasNextPage endCursor } nodes { email } }
}"""
CUSTOMER = """mutation Customer($input: CustomerInput!) {
  customerCreate(input: $input) { userErrors { field message } }
}"""
ADJUST = """mutation Adjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
    userErrors { field code message }
  }
}"""
CHANGES_PER_REQUEST = 250
"""Input arrays take at most 250 items."""
REFERENCE = "tillbench://erp-journal-line/"


def _price(price: Decimal) -> str:
    return f"{price.quantize(Decimal('0.01'))}"


KEEP = 0.5
"""Share of the cost bucket the ERP → POS sync leaves to the order reads: it sends only
while the bucket holds more (`ShopifyClient.query` ``keep``)."""


class ShopifyCatalogue:
    """Writes the ERP's catalogue, customers and stock moves to Shopify."""

    def __init__(self, client: ShopifyClient) -> None:
        self.client = client
        self._variants: dict[str, dict[str, Any]] | None = None

    def _query(self, document: str, variables: Mapping[str, Any] | None = None) -> Any:
        """One query of the sync, leaving `KEEP` of the bucket to the order reads."""
        return self.client.query(document, variables, keep=KEEP)

    def variants(self) -> dict[str, dict[str, Any]]:
        """Variants by SKU (cached until the next write)."""
        if self._variants is None:
            found: dict[str, dict[str, Any]] = {}
            after = None
            while True:
                page = self._query(VARIANTS, {"after": after})["productVariants"]
                for node in page["nodes"]:
                    if node.get("sku"):
                        found[str(node["sku"])] = node
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            self._variants = found
        return self._variants

    def write_prices(self, items: Sequence[CatalogueItem]) -> int:
        """Set the price of each SKU whose price differs; create products for new SKUs."""
        known = self.variants()
        written = 0
        for item in items:
            price = _price(item.unit_price)
            variant = known.get(item.sku)
            if variant is None:
                created = self._query(CREATE, {"title": item.name or item.sku})
                product = created["productCreate"]["product"]
                variant = {
                    "id": product["variants"]["nodes"][0]["id"],
                    "product": {"id": product["id"]},
                    "price": None,
                }
                changes: dict[str, Any] = {
                    "id": variant["id"],
                    "price": price,
                    "inventoryItem": {"sku": item.sku},
                }
            elif Decimal(str(variant.get("price"))) == Decimal(price):
                continue
            else:
                changes = {"id": variant["id"], "price": price}
            self._query(UPDATE, {"p": variant["product"]["id"], "v": [changes]})
            written += 1
        if written:
            self._variants = None
        return written

    def customer_emails(self) -> set[str]:
        """E-mail addresses of every Shopify customer (lower case)."""
        emails: set[str] = set()
        after = None
        while True:
            page = self._query(CUSTOMERS, {"after": after})["customers"]
            emails |= {str(n["email"]).lower() for n in page["nodes"] if n.get("email")}
            if not page["pageInfo"]["hasNextPage"]:
                return emails
            after = page["pageInfo"]["endCursor"]

    def create_customer(self, customer: CustomerRecord) -> None:
        """A Shopify customer for an ERP one ("Email has already been taken" is success)."""
        given, _, family = (customer.name or "").partition(" ")
        self._query(
            CUSTOMER,
            {
                "input": {
                    "email": customer.email.lower(),
                    "firstName": given or None,
                    "lastName": family or None,
                    "note": customer.number,
                }
            },
        )

    def stock_receipts(
        self, moves: Sequence[ErpStockMove]
    ) -> tuple[list[dict[str, Any]], list[str]]:
        """inventoryAdjustQuantities inputs (250 changes each) for ``moves``; moves of SKUs
        Shopify does not sell are left for later."""
        by_sku = self.variants()
        groups: dict[str, list[tuple[str, dict[str, Any]]]] = {"received": [], "shrinkage": []}
        carried: list[str] = []
        for move in moves:
            variant = by_sku.get(move.sku)
            if variant is None:
                continue
            carried.append(move.id)
            if move.quantity == 0:
                continue
            change = {
                "delta": int(move.quantity),
                "inventoryItemId": variant["inventoryItem"]["id"],
                "locationId": f"gid://shopify/Location/{move.store_id}",
            }
            groups["received" if move.quantity > 0 else "shrinkage"].append((move.id, change))
        payloads = []
        for reason, found in groups.items():
            for start in range(0, len(found), CHANGES_PER_REQUEST):
                chunk = found[start : start + CHANGES_PER_REQUEST]
                ids = "\n".join(move_id for move_id, _ in chunk)
                payloads.append(
                    {
                        "key": "erp-moves-" + hashlib.sha256(ids.encode("utf-8")).hexdigest(),
                        "input": {
                            "reason": reason,
                            "name": "available",
                            "referenceDocumentUri": f"{REFERENCE}{chunk[0][0]}",
                            "changes": [change for _, change in chunk],
                        },
                    }
                )
        return payloads, carried

    def send_stock_receipt(self, payload: Mapping[str, Any]) -> int:
        """Send one inventoryAdjustQuantities; returns its number of changes."""
        self._query(ADJUST, dict(payload))
        return len(payload["input"]["changes"])
