"""A NetSuite ERP's end state as run tables, read through SuiteQL with the harness's
credential: transactions (cash sales, credit memos, inventory adjustments) with their lines
(``erp/documents``, ``erp/document_lines``), customers and items. ``committed_t`` of a
transaction is its ``lastmodifieddate`` (read with ``TO_CHAR`` to the millisecond) on the
run's simulated clock: NetSuite saves and posts a transaction at once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from domain.clock import RunClock, epoch
from domain.rundir import write_table

__all__ = ["KINDS", "collect_tables", "suiteql"]

Row = dict[str, Any]
KINDS = {"CashSale": "invoice", "CustCred": "credit_memo", "InvAdjst": "journal"}
"""``transaction.type`` → the run tables' document kind."""
PAGE = 1000


def _minor(value: Any, exponent: int) -> int:
    return int((Decimal(str(value or 0)).scaleb(exponent)).to_integral_value())


def suiteql(client: httpx.Client, url: str, q: str) -> list[Row]:
    """Every row of SuiteQL query ``q`` at ``url`` (``…/query/v1/suiteql``), paged."""
    rows: list[Row] = []
    offset = 0
    while True:
        response = client.post(
            url,
            params={"limit": PAGE, "offset": offset},
            json={"q": q},
            headers={"Prefer": "transient"},
        )
        response.raise_for_status()
        body = response.json()
        rows.extend(body.get("items") or [])
        if not body.get("hasMore"):
            return rows
        offset += PAGE


_DOCUMENTS = (
    "SELECT t.id, t.type, t.externalid, t.tranid, t.foreigntotal, t.taxtotal, "
    "TO_CHAR(t.lastmodifieddate, 'YYYY-MM-DD\"T\"HH24:MI:SS.FF3') AS modified "
    "FROM transaction t ORDER BY t.id"
)
_LINES = (
    "SELECT l.transaction, l.linesequencenumber, i.itemid, loc.externalid AS store, "
    "l.quantity, l.rate, l.netamount, l.taxamount, l.memo FROM transactionline l "
    "JOIN item i ON i.id = l.item LEFT JOIN location loc ON loc.id = l.location "
    "ORDER BY l.transaction, l.id"
)


def collect_tables(
    run_dir: Path, *, suiteql_url: str, token: str, clock: RunClock, exponent: int
) -> dict[str, int]:
    """Write the ERP tables of the module docstring; their row counts."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=120, headers=headers) as client:
        raw_lines = suiteql(client, suiteql_url, _LINES)
        stores: dict[str, str] = {}
        lines: list[Row] = []
        for line in raw_lines:
            doc_id = str(line["transaction"])
            if line.get("store"):
                stores.setdefault(doc_id, line["store"])
            quantity = Decimal(line.get("quantity") or 0)
            rate = Decimal(line.get("rate") or 0)
            net = Decimal(line.get("netamount") or 0)
            lines.append(
                {
                    "document_id": doc_id,
                    "line_no": int(line.get("linesequencenumber") or 0),
                    "sku": line.get("itemid"),
                    "store_id": line.get("store"),
                    "quantity": float(quantity),
                    "unit_price_minor": _minor(rate, exponent),
                    "discount_minor": _minor(quantity * rate - net, exponent) if rate else 0,
                    "tax_minor": _minor(line.get("taxamount"), exponent),
                    "description": line.get("memo"),
                }
            )
        docs: list[Row] = []
        for doc in suiteql(client, suiteql_url, _DOCUMENTS):
            doc_id = str(doc["id"])
            kind = KINDS.get(str(doc.get("type")), str(doc.get("type")))
            created = epoch(doc.get("modified"))
            journal = kind == "journal"
            docs.append(
                {
                    "document_id": doc_id,
                    "kind": kind,
                    "external_document_number": doc.get("externalid"),
                    "number": doc.get("tranid"),
                    "store_id": stores.get(doc_id),
                    "status": "Posted" if journal else "Open",
                    "total_minor": 0 if journal else _minor(doc.get("foreigntotal"), exponent),
                    "tax_minor": 0 if journal else _minor(doc.get("taxtotal"), exponent),
                    "currency": None,
                    "created_wall": created,
                    "committed_t": None if created is None else clock.t_at(created),
                }
            )
        write_table(run_dir, "erp/documents", docs)
        write_table(run_dir, "erp/document_lines", lines)
        customers = suiteql(
            client, suiteql_url, "SELECT id, entityid, companyname, email FROM customer"
        )
        write_table(
            run_dir,
            "erp/customers",
            [
                {
                    "id": c["id"],
                    "number": c.get("entityid"),
                    "name": c.get("companyname"),
                    "email": c.get("email") or "",
                }
                for c in customers
            ],
        )
        items = suiteql(client, suiteql_url, "SELECT itemid, baseprice, displayname FROM item")
        write_table(
            run_dir,
            "erp/items",
            [
                {
                    "sku": i["itemid"],
                    "unit_price_minor": _minor(i.get("baseprice"), exponent),
                    "name": i.get("displayname"),
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
