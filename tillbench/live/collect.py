"""Export the end state of the run into the run directory, through public APIs.

POS orders, catalogue and customers through the Square API; ERP documents with their lines,
item journal lines, customers and items through the Business Central API (so a real ERP
works too; an ERP with another API brings its own ``erp_tables``, e.g. Tryton's from
`tillbench.live.tryton`); the mocks' request journals and the POS webhook delivery
log through the admin API. ``committed_t`` of an ERP document is its
``lastModifiedDateTime`` on the run's simulated clock (documents are posted when created).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from domain.rundir import write_table
from tillbench.live.clock import RunClock, epoch
from tillbench.live.mocks import ADMIN_TOKEN, MockServers

__all__ = ["collect"]

Row = dict[str, Any]


def _minor(value: Any, exponent: int) -> int:
    return int((Decimal(str(value or 0)).scaleb(exponent)).to_integral_value())


class _Api:
    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def odata(self, url: str, params: dict[str, str] | None = None) -> list[Row]:
        rows: list[Row] = []
        next_url: str | None = url
        while next_url:
            response = self.client.get(next_url, params=params if next_url == url else None)
            response.raise_for_status()
            body = response.json()
            rows.extend(body.get("value") or [])
            next_url = body.get("@odata.nextLink")
        return rows

    def square(
        self, method: str, url: str, key: str, body: dict[str, Any] | None = None
    ) -> list[Row]:
        rows: list[Row] = []
        cursor: str | None = None
        while True:
            if method == "GET":
                params = {"cursor": cursor} if cursor else {}
                response = self.client.get(url, params=params)
            else:
                response = self.client.post(
                    url, json={**(body or {}), **({"cursor": cursor} if cursor else {})}
                )
            response.raise_for_status()
            page = response.json()
            rows.extend(page.get(key) or [])
            cursor = page.get("cursor")
            if not cursor:
                return rows


def collect(
    run_dir: Path,
    *,
    servers: MockServers,
    clock: RunClock,
    exponent: int,
    stores: list[str],
    erp_tables: Callable[[], dict[str, int]] | None = None,
) -> dict[str, int]:
    """Write the end-state tables; returns row counts by table.

    Without a mock ERP (`MockServers.has_erp` False), ``erp_tables`` writes the ERP's
    tables (``erp/documents``, ``erp/document_lines``, ``erp/customers``, ``erp/items``)
    and returns their row counts.
    """
    counts: dict[str, int] = {}
    api_headers = {"Authorization": f"Bearer {servers.credentials.harness}"}
    admin_headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with (
        httpx.Client(timeout=120, headers=api_headers) as client,
        httpx.Client(timeout=120, headers=admin_headers) as admin,
    ):
        api = _Api(client)
        pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="journal")
        journals = [
            pool.submit(_journal, run_dir / side, base)
            for side, base in (("pos", servers.pos_url), ("erp", servers.erp_base))
            if base
        ]
        counts["pos/webhooks"] = _webhooks(run_dir, admin, servers.pos_url)
        counts["pos/orders"] = _orders(run_dir, api, servers.pos_url, stores)
        counts["pos/catalog"] = _pos_catalog(run_dir, api, servers.pos_url)
        counts["pos/customers"] = _pos_customers(run_dir, api, servers.pos_url)
        if servers.has_erp:
            counts.update(_mock_erp(run_dir, api, servers, clock, exponent))
        elif erp_tables is not None:
            counts.update(erp_tables())
        for future in journals:
            future.result()
        pool.shutdown()
    return counts


def _mock_erp(
    run_dir: Path, api: _Api, servers: MockServers, clock: RunClock, exponent: int
) -> dict[str, int]:
    """The ERP tables through the Business Central API."""
    counts: dict[str, int] = {}
    docs, lines = _erp_documents(api, servers.erp_company_url, clock, exponent)
    counts["erp/documents"] = len(docs)
    counts["erp/document_lines"] = len(lines)
    write_table(run_dir, "erp/documents", docs)
    write_table(run_dir, "erp/document_lines", lines)
    customers = api.odata(f"{servers.erp_company_url}/customers")
    write_table(
        run_dir,
        "erp/customers",
        [
            {
                "id": c["id"],
                "number": c["number"],
                "name": c["displayName"],
                "email": c["email"],
            }
            for c in customers
        ],
    )
    counts["erp/customers"] = len(customers)
    items = api.odata(f"{servers.erp_company_url}/items")
    write_table(
        run_dir,
        "erp/items",
        [
            {
                "sku": i["number"],
                "unit_price_minor": _minor(i["unitPrice"], exponent),
                "name": i["displayName"],
            }
            for i in items
        ],
    )
    counts["erp/items"] = len(items)
    return counts


def _journal(directory: Path, base: str) -> None:
    """The mock's whole request journal (building the Parquet file takes the mock a while,
    so both journals are fetched while the rest is collected)."""
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    response = httpx.get(f"{base}/admin/journal.parquet", headers=headers, timeout=120)
    response.raise_for_status()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "journal.parquet").write_bytes(response.content)


def _webhooks(run_dir: Path, admin: httpx.Client, pos_url: str) -> int:
    rows: list[Row] = []
    since = 0
    while True:
        response = admin.get(
            f"{pos_url}/admin/pos/webhooks/deliveries", params={"since_id": since, "limit": 10000}
        )
        response.raise_for_status()
        page = response.json()
        batch = page.get("rows") or []
        for r in batch:
            outcome = str(r.get("outcome") or "")
            rows.append(
                {
                    "event_id": r.get("event_id"),
                    "event_type": r.get("event_type"),
                    "attempt": r.get("attempt"),
                    "status": r.get("status_code") or 0,
                    "sent_wall": epoch(r.get("sent_at")),
                    "latency_ms": r.get("latency_ms"),
                    "fault": _webhook_fault(outcome),
                    "outcome": outcome,
                    "error": r.get("error"),
                }
            )
        if not batch or page.get("next_since_id", since) == since:
            break
        since = int(page["next_since_id"])
    write_table(run_dir, "pos/webhooks", rows)
    return len(rows)


def _webhook_fault(outcome: str) -> str | None:
    """The injected fault behind a delivery outcome (None for a plain delivery or failure)."""
    if outcome.startswith("duplicate"):
        return "duplicate"
    return {"dropped": "drop", "held": "reorder"}.get(outcome)


def _orders(run_dir: Path, api: _Api, pos_url: str, stores: list[str]) -> int:
    rows: list[Row] = []
    for start in range(0, len(stores), 10):
        found = api.square(
            "POST",
            f"{pos_url}/v2/orders/search",
            "orders",
            {
                "location_ids": stores[start : start + 10],
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


def _pos_catalog(run_dir: Path, api: _Api, pos_url: str) -> int:
    objects = api.square("GET", f"{pos_url}/v2/catalog/list?types=ITEM_VARIATION", "objects")
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


def _pos_customers(run_dir: Path, api: _Api, pos_url: str) -> int:
    found = api.square("GET", f"{pos_url}/v2/customers", "customers")
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


def _erp_documents(
    api: _Api, company_url: str, clock: RunClock, exponent: int
) -> tuple[list[Row], list[Row]]:
    docs: list[Row] = []
    lines: list[Row] = []
    for segment, kind, lines_key in (
        ("salesInvoices", "invoice", "salesInvoiceLines"),
        ("salesCreditMemos", "credit_memo", "salesCreditMemoLines"),
    ):
        for doc in api.odata(f"{company_url}/{segment}", {"$expand": lines_key}):
            doc_lines = doc.get(lines_key) or []
            created = epoch(doc.get("lastModifiedDateTime"))
            store = next((x.get("locationCode") for x in doc_lines if x.get("locationCode")), None)
            docs.append(
                {
                    "document_id": doc["id"],
                    "kind": kind,
                    "external_document_number": doc.get("externalDocumentNumber"),
                    "number": doc.get("number"),
                    "store_id": store,
                    "status": doc.get("status"),
                    "total_minor": _minor(doc.get("totalAmountIncludingTax"), exponent),
                    "tax_minor": _minor(doc.get("totalTaxAmount"), exponent),
                    "currency": doc.get("currencyCode") or None,
                    "created_wall": created,
                    "committed_t": None if created is None else clock.t_at(created),
                }
            )
            for n, line in enumerate(doc_lines, start=1):
                lines.append(
                    {
                        "document_id": doc["id"],
                        "line_no": int(line.get("sequence") or n),
                        "sku": line.get("lineObjectNumber"),
                        "quantity": float(line.get("quantity") or 0),
                        "unit_price_minor": _minor(line.get("unitPrice"), exponent),
                        "discount_minor": _minor(line.get("discountAmount"), exponent),
                        "tax_minor": _minor(line.get("totalTaxAmount"), exponent),
                        "description": line.get("description"),
                    }
                )
    for journal in api.odata(f"{company_url}/itemJournals"):
        for line in api.odata(f"{company_url}/itemJournals({journal['id']})/journalLines"):
            created = epoch(line.get("lastModifiedDateTime"))
            docs.append(
                {
                    "document_id": line["id"],
                    "kind": "journal",
                    "external_document_number": line.get("externalDocumentNumber"),
                    "store_id": line.get("locationCode"),
                    "status": "Posted",
                    "total_minor": 0,
                    "tax_minor": 0,
                    "currency": None,
                    "created_wall": created,
                    "committed_t": None if created is None else clock.t_at(created),
                }
            )
            lines.append(
                {
                    "document_id": line["id"],
                    "line_no": 1,
                    "sku": line.get("itemNumber"),
                    "quantity": float(line.get("quantity") or 0),
                    "unit_price_minor": 0,
                    "discount_minor": 0,
                    "tax_minor": 0,
                    "description": line.get("description"),
                }
            )
    return docs, lines
