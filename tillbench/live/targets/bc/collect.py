"""A Business Central ERP's end state as run tables, through its public API (API v2.0) with
the harness's credential: sales invoices and credit memos with their lines and the item
journals' lines (``erp/documents``, ``erp/document_lines``), customers and items.
``committed_t`` of a document is its ``lastModifiedDateTime`` on the run's simulated clock
(the connector posts documents when it creates them)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from domain.clock import RunClock, epoch
from domain.rundir import write_table

__all__ = ["collect_tables", "odata"]

Row = dict[str, Any]


def _minor(value: Any, exponent: int) -> int:
    return int((Decimal(str(value or 0)).scaleb(exponent)).to_integral_value())


def odata(client: httpx.Client, url: str, params: dict[str, str] | None = None) -> list[Row]:
    """Every row of an OData collection, following ``@odata.nextLink``."""
    rows: list[Row] = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url, params=params if next_url == url else None)
        response.raise_for_status()
        body = response.json()
        rows.extend(body.get("value") or [])
        next_url = body.get("@odata.nextLink")
    return rows


def collect_tables(
    run_dir: Path, *, company_url: str, token: str, clock: RunClock, exponent: int
) -> dict[str, int]:
    """Write the ERP tables of the module docstring; their row counts."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=120, headers=headers) as client:
        docs, lines = _documents(client, company_url, clock, exponent)
        write_table(run_dir, "erp/documents", docs)
        write_table(run_dir, "erp/document_lines", lines)
        customers = odata(client, f"{company_url}/customers")
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
        items = odata(client, f"{company_url}/items")
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
    return {
        "erp/documents": len(docs),
        "erp/document_lines": len(lines),
        "erp/customers": len(customers),
        "erp/items": len(items),
    }


def _documents(
    client: httpx.Client, company_url: str, clock: RunClock, exponent: int
) -> tuple[list[Row], list[Row]]:
    docs: list[Row] = []
    lines: list[Row] = []
    for segment, kind, lines_key in (
        ("salesInvoices", "invoice", "salesInvoiceLines"),
        ("salesCreditMemos", "credit_memo", "salesCreditMemoLines"),
    ):
        for doc in odata(client, f"{company_url}/{segment}", {"$expand": lines_key}):
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
                        "store_id": line.get("locationCode"),
                        "quantity": float(line.get("quantity") or 0),
                        "unit_price_minor": _minor(line.get("unitPrice"), exponent),
                        "discount_minor": _minor(line.get("discountAmount"), exponent),
                        "tax_minor": _minor(line.get("totalTaxAmount"), exponent),
                        "description": line.get("description"),
                    }
                )
    for journal in odata(client, f"{company_url}/itemJournals"):
        for line in odata(client, f"{company_url}/itemJournals({journal['id']})/journalLines"):
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
