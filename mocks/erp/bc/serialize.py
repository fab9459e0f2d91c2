"""Rows of the engine → JSON objects of the Business Central v2.0 dialect."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from mocks.erp.bc.odata import etag
from mocks.erp.engine.documents import DocKind, draft_number
from mocks.erp.engine.fixed import as_number


def _ts(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _day(value: date) -> str:
    return value.isoformat()


def item(row: Mapping[str, Any], inventory: int) -> dict[str, Any]:
    """An ``item`` entity; ``inventory`` is the stock over all locations."""
    return {
        "@odata.etag": etag(row["version"], row["id"]),
        "id": row["id"],
        "number": row["number"],
        "displayName": row["display_name"],
        "type": row["type"],
        "blocked": bool(row["blocked"]),
        "gtin": row["gtin"],
        "inventory": as_number(inventory),
        "unitPrice": as_number(row["unit_price"]),
        "priceIncludesTax": False,
        "unitCost": as_number(row["unit_cost"]),
        "baseUnitOfMeasureCode": row["base_unit_of_measure_code"],
        "lastModifiedDateTime": _ts(row["last_modified"]),
    }


def customer(row: Mapping[str, Any]) -> dict[str, Any]:
    """A ``customer`` entity."""
    return {
        "@odata.etag": etag(row["version"], row["id"]),
        "id": row["id"],
        "number": row["number"],
        "displayName": row["display_name"],
        "type": "Person",
        "email": row["email"],
        "phoneNumber": row["phone_number"],
        "currencyCode": row["currency_code"],
        "blocked": row["blocked"] or " ",
        "lastModifiedDateTime": _ts(row["last_modified"]),
    }


def location(row: Mapping[str, Any]) -> dict[str, Any]:
    """A ``location`` entity."""
    return {
        "@odata.etag": etag(row["version"], row["id"]),
        "id": row["id"],
        "code": row["code"],
        "displayName": row["display_name"],
        "lastModifiedDateTime": _ts(row["last_modified"]),
    }


def document(row: Mapping[str, Any]) -> dict[str, Any]:
    """A ``salesInvoice`` or ``salesCreditMemo`` entity."""
    kind = DocKind(row["kind"])
    excl, tax = row["total_excl"], row["total_tax"]
    body: dict[str, Any] = {
        "@odata.etag": etag(row["version"], row["id"]),
        "id": row["id"],
        "number": row.get("posted_number") or draft_number(kind, row["seq"]),
        "externalDocumentNumber": row["external_document_number"],
        ("invoiceDate" if kind is DocKind.INVOICE else "creditMemoDate"): _day(
            row["document_date"]
        ),
        "postingDate": _day(row["posting_date"]),
        "dueDate": _day(row["due_date"]),
        "customerId": row["customer_id"],
        "customerNumber": row.get("customer_number", ""),
        "customerName": row.get("customer_name", ""),
        "currencyCode": row["currency_code"],
        "pricesIncludeTax": bool(row["prices_include_tax"]),
        "discountAmount": 0.0,
        "totalAmountExcludingTax": as_number(excl),
        "totalTaxAmount": as_number(tax),
        "totalAmountIncludingTax": as_number(excl + tax),
        "status": row["status"],
        "lastModifiedDateTime": _ts(row["last_modified"]),
    }
    if kind is DocKind.CREDIT_MEMO:
        body["invoiceId"] = row["invoice_id"] or "00000000-0000-0000-0000-000000000000"
    if "lines" in row:
        key = "salesInvoiceLines" if kind is DocKind.INVOICE else "salesCreditMemoLines"
        body[key] = [line(x) for x in row["lines"]]
    return body


def line(row: Mapping[str, Any]) -> dict[str, Any]:
    """A ``salesInvoiceLine`` / ``salesCreditMemoLine`` entity."""
    excl, tax = row["amount_excl"], row["tax_amount"]
    return {
        "@odata.etag": etag(row["version"], row["id"]),
        "id": row["id"],
        "documentId": row["document_id"],
        "sequence": row["sequence"],
        "itemId": row["item_id"],
        "lineType": row["line_type"],
        "lineObjectNumber": row.get("item_number", ""),
        "description": row["description"],
        "unitOfMeasureCode": "PCS",
        "quantity": as_number(row["quantity"]),
        "unitPrice": as_number(row["unit_price"]),
        "discountAmount": as_number(row["discount_amount"]),
        "amountExcludingTax": as_number(excl),
        "taxCode": "",
        "taxPercent": as_number(row["tax_percent"]),
        "totalTaxAmount": as_number(tax),
        "amountIncludingTax": as_number(excl + tax),
        "netAmount": as_number(excl),
        "locationId": row.get("location_id"),
        "locationCode": row["location_code"],
    }


def journal(row: Mapping[str, Any]) -> dict[str, Any]:
    """An ``itemJournal`` entity (a journal batch)."""
    return {
        "@odata.etag": etag(row["version"], row["id"]),
        "id": row["id"],
        "code": row["code"],
        "displayName": row["display_name"],
        "lastModifiedDateTime": _ts(row["last_modified"]),
    }


def journal_line(row: Mapping[str, Any]) -> dict[str, Any]:
    """A ``journalLine`` of an item journal."""
    return {
        "@odata.etag": etag(row["version"], row["id"]),
        "id": row["id"],
        "journalId": row["journal_id"],
        "lineNumber": row["seq"] * 10000,
        "itemId": row["item_id"],
        "itemNumber": row.get("item_number", ""),
        "locationCode": row["location_code"],
        "postingDate": _day(row["posting_date"]),
        "documentNumber": row["document_number"],
        "externalDocumentNumber": row["external_document_number"],
        "entryType": row["entry_type"],
        "description": row["description"],
        "quantity": as_number(row["quantity"]),
        "lastModifiedDateTime": _ts(row["last_modified"]),
    }


def stock_row(row: Mapping[str, Any], location_ids: Mapping[str, str]) -> dict[str, Any]:
    """One (location, item) stock level of the inventory read-back API."""
    return {
        "itemId": row["item_id"],
        "itemNumber": row["item_number"],
        "locationId": location_ids.get(row["location_code"]),
        "locationCode": row["location_code"],
        "inventory": as_number(row["quantity"]),
    }
