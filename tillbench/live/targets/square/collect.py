"""A Square POS's end state as run tables, through its public API with the harness's
credential: ``pos/orders`` (``/v2/orders/search`` per ten locations), ``pos/catalog``
(item variations) and ``pos/customers``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from domain.rundir import write_table

__all__ = ["collect_tables"]

Row = dict[str, Any]
_LOCATIONS_PER_SEARCH = 10


def _pages(
    client: httpx.Client, method: str, url: str, key: str, body: dict[str, Any] | None = None
) -> list[Row]:
    """Every object under ``key`` of a cursor-paged Square list or search."""
    rows: list[Row] = []
    cursor: str | None = None
    while True:
        if method == "GET":
            response = client.get(url, params={"cursor": cursor} if cursor else {})
        else:
            response = client.post(
                url, json={**(body or {}), **({"cursor": cursor} if cursor else {})}
            )
        response.raise_for_status()
        page = response.json()
        rows.extend(page.get(key) or [])
        cursor = page.get("cursor")
        if not cursor:
            return rows


def collect_tables(run_dir: Path, *, pos_url: str, token: str, stores: list[str]) -> dict[str, int]:
    """Write ``pos/orders``, ``pos/catalog`` and ``pos/customers``; their row counts."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=120, headers=headers) as client:
        return {
            "pos/orders": _orders(run_dir, client, pos_url, stores),
            "pos/catalog": _catalog(run_dir, client, pos_url),
            "pos/customers": _customers(run_dir, client, pos_url),
        }


def _orders(run_dir: Path, client: httpx.Client, pos_url: str, stores: list[str]) -> int:
    rows: list[Row] = []
    for start in range(0, len(stores), _LOCATIONS_PER_SEARCH):
        found = _pages(
            client,
            "POST",
            f"{pos_url}/v2/orders/search",
            "orders",
            {
                "location_ids": stores[start : start + _LOCATIONS_PER_SEARCH],
                "query": {"sort": {"sort_field": "CREATED_AT", "sort_order": "ASC"}},
                "limit": 500,
            },
        )
        for order in found:
            amounts = order.get("return_amounts") if order.get("returns") else None
            total = (amounts or order).get("total_money") or {}
            tax = (amounts or {}).get("tax_money") if amounts else order.get("total_tax_money")
            rows.append(
                {
                    "order_id": order["id"],
                    "reference_id": order.get("reference_id"),
                    "location_id": order.get("location_id"),
                    "state": order.get("state"),
                    "total_minor": int(total.get("amount") or 0),
                    "tax_minor": int((tax or {}).get("amount") or 0),
                    "note": order.get("note") or (order.get("metadata") or {}).get("note"),
                    "created_at": order.get("created_at"),
                    "updated_at": order.get("updated_at"),
                }
            )
    write_table(run_dir, "pos/orders", rows)
    return len(rows)


def _catalog(run_dir: Path, client: httpx.Client, pos_url: str) -> int:
    objects = _pages(client, "GET", f"{pos_url}/v2/catalog/list?types=ITEM_VARIATION", "objects")
    rows = []
    for obj in objects:
        data = obj.get("item_variation_data") or {}
        rows.append(
            {
                "sku": data.get("sku"),
                "price_minor": (data.get("price_money") or {}).get("amount"),
                "name": data.get("name"),
            }
        )
    write_table(run_dir, "pos/catalog", rows)
    return len(rows)


def _customers(run_dir: Path, client: httpx.Client, pos_url: str) -> int:
    found = _pages(client, "GET", f"{pos_url}/v2/customers", "customers")
    rows = [
        {
            "id": c.get("id"),
            "name": " ".join(x for x in (c.get("given_name"), c.get("family_name")) if x),
            "email": c.get("email_address"),
            "reference_id": c.get("reference_id"),
        }
        for c in found
    ]
    write_table(run_dir, "pos/customers", rows)
    return len(rows)
