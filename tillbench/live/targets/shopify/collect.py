"""A Shopify mock's end state as run tables, through GraphQL with the harness's token:
``pos/orders`` (one row per order and one per refund, the return's name as its reference),
``pos/catalog`` (variants) and ``pos/customers``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from domain.rundir import write_table
from tillbench.live.targets.shopify.graphql import query
from tillbench.live.targets.shopify.reads import minor

__all__ = ["collect_tables"]

Row = dict[str, Any]
MONEY = "shopMoney { amount }"
ORDERS = f"""query Orders($after: String) {{
  orders(first: 7, after: $after, sortKey: CREATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ id name closed cancelledAt note createdAt updatedAt retailLocation {{ id }}
      lineItems(first: 1) {{ nodes {{ sku }} }}
      totalPriceSet {{ {MONEY} }} totalTaxSet {{ {MONEY} }}
      refunds {{ id createdAt updatedAt note return {{ name }} totalRefundedSet {{ {MONEY} }}
        refundLineItems(first: 30) {{ nodes {{ totalTaxSet {{ {MONEY} }} location {{ id }} }} }} }}
    }}
  }}
}}"""
CATALOG = """query Catalog($after: String) {
  productVariants(first: 250, after: $after) {
    pageInfo { hasNextPage endCursor } nodes { sku price title }
  }
}"""
CUSTOMERS = """query Customers($after: String) {
  customers(first: 250, after: $after) {
    pageInfo { hasNextPage endCursor } nodes { id firstName lastName email note }
  }
}"""


def _nodes(client: httpx.Client, pos_url: str, token: str, document: str, key: str) -> list[Row]:
    rows: list[Row] = []
    after = None
    while True:
        page = query(client, pos_url, token, document, {"after": after})[key]
        rows.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return rows
        after = page["pageInfo"]["endCursor"]


def _store(gid: object) -> str:
    return str(gid or "").rsplit("/", 1)[-1]


def order_rows(orders: list[Row], stores: list[str]) -> list[Row]:
    """``pos/orders`` rows: each order with line items, and each refund."""
    wanted = set(stores)
    rows: list[Row] = []
    for order in orders:
        store = _store((order.get("retailLocation") or {}).get("id"))
        if store not in wanted:
            continue
        if (order.get("lineItems") or {}).get("nodes"):
            state = (
                "CANCELED"
                if order.get("cancelledAt")
                else ("COMPLETED" if order.get("closed") else "OPEN")
            )
            rows.append(
                {
                    "order_id": order["id"],
                    "reference_id": str(order.get("name") or "").lstrip("#"),
                    "location_id": store,
                    "state": state,
                    "total_minor": minor(order["totalPriceSet"]["shopMoney"]["amount"]),
                    "tax_minor": minor(order["totalTaxSet"]["shopMoney"]["amount"]),
                    "note": order.get("note"),
                    "created_at": order.get("createdAt"),
                    "updated_at": order.get("updatedAt"),
                }
            )
        for refund in order.get("refunds") or []:
            items = (refund.get("refundLineItems") or {}).get("nodes") or []
            rows.append(
                {
                    "order_id": refund["id"],
                    "reference_id": str((refund.get("return") or {}).get("name") or "").lstrip("#"),
                    "location_id": _store((items[0].get("location") or {}).get("id"))
                    if items
                    else store,
                    "state": "COMPLETED",
                    "total_minor": minor(refund["totalRefundedSet"]["shopMoney"]["amount"]),
                    "tax_minor": sum(minor(i["totalTaxSet"]["shopMoney"]["amount"]) for i in items),
                    "note": refund.get("note"),
                    "created_at": refund.get("createdAt"),
                    "updated_at": refund.get("updatedAt"),
                }
            )
    return rows


def collect_tables(run_dir: Path, *, pos_url: str, token: str, stores: list[str]) -> dict[str, int]:
    """Write ``pos/orders``, ``pos/catalog`` and ``pos/customers``; their row counts."""
    with httpx.Client(timeout=120) as client:
        orders = order_rows(_nodes(client, pos_url, token, ORDERS, "orders"), stores)
        write_table(run_dir, "pos/orders", orders)
        variants = _nodes(client, pos_url, token, CATALOG, "productVariants")
        catalog = [
            {"sku": v.get("sku"), "price_minor": minor(v.get("price")), "name": v.get("title")}
            for v in variants
        ]
        write_table(run_dir, "pos/catalog", catalog)
        found = _nodes(client, pos_url, token, CUSTOMERS, "customers")
        customers = [
            {
                "id": c.get("id"),
                "name": " ".join(x for x in (c.get("firstName"), c.get("lastName")) if x),
                "email": c.get("email"),
                "reference_id": c.get("note"),
            }
            for c in found
        ]
        write_table(run_dir, "pos/customers", customers)
    return {"pos/orders": len(orders), "pos/catalog": len(catalog), "pos/customers": len(customers)}
