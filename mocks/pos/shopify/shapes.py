"""Engine records (shaped like Square's) as Shopify Admin GraphQL objects.

Money is the engine's integer minor units as Shopify's decimal strings in a `MoneyBag`
(shop and presentment money are the same currency here). A sale order is a Shopify Order
from the point of sale (`sourceName: "pos"`, `retailLocation`); a return is a Refund on the
order it returns from.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mocks.pos.engine.quantities import parse_quantity
from mocks.pos.shopify.gid import gid

Record = dict[str, Any]
MINOR = {"JPY": 0, "KRW": 0}


def decimal(amount: int, currency: str) -> str:
    """Minor units as Shopify's decimal string ("9.72")."""
    places = MINOR.get(currency, 2)
    value = Decimal(amount).scaleb(-places)
    return f"{value:.{places}f}"


def money_bag(money: Record | None, currency: str) -> Record:
    """A `MoneyBag` from a Square-shaped money object."""
    amount = int((money or {}).get("amount") or 0)
    code = (money or {}).get("currency") or currency
    wire = {"amount": decimal(amount, code), "currencyCode": code}
    return {"shopMoney": wire, "presentmentMoney": dict(wire)}


def location(record: Record) -> Record:
    """A Shopify `Location`."""
    return {
        "id": gid("Location", record["id"]),
        "name": record.get("name") or record["id"],
        "isActive": record.get("status", "ACTIVE") == "ACTIVE",
        "createdAt": record.get("created_at"),
    }


def _quantity(value: object) -> int:
    return int(parse_quantity(value, "quantity"))


def line_item(order: Record, line: Record, currency: str, sku_of: dict[str, str]) -> Record:
    """A Shopify `LineItem` of an engine order line."""
    variation = line.get("catalog_object_id")
    sku = (line.get("metadata") or {}).get("sku") or sku_of.get(variation or "")
    taxes = []
    for applied in line.get("applied_taxes") or []:
        tax: Record = next(
            (t for t in order.get("taxes") or [] if t["uid"] == applied["tax_uid"]), {}
        )
        percent = float(tax.get("percentage") or 0)
        taxes.append(
            {
                "title": tax.get("name") or "Tax",
                "rate": percent / 100,
                "ratePercentage": percent,
                "priceSet": money_bag(applied.get("applied_money"), currency),
            }
        )
    discount = int((line.get("total_discount_money") or {}).get("amount") or 0)
    gross = int((line.get("gross_sales_money") or {}).get("amount") or 0)
    return {
        "id": gid("LineItem", f"{order['id']}-{line['uid']}"),
        "name": line.get("name") or sku or "",
        "sku": sku,
        "quantity": _quantity(line.get("quantity") or "0"),
        "variant": {"id": gid("ProductVariant", variation)} if variation else None,
        "_variation": variation,
        "originalUnitPriceSet": money_bag(line.get("base_price_money"), currency),
        "totalDiscountSet": money_bag({"amount": discount, "currency": currency}, currency),
        "discountedTotalSet": money_bag(
            {"amount": gross - discount, "currency": currency}, currency
        ),
        "taxLines": taxes,
    }


def transaction(tender: Record, currency: str, *, kind: str = "SALE") -> Record:
    """A Shopify `OrderTransaction` of a tender (or refund)."""
    gateway = {
        "CARD": "shopify_payments",
        "CASH": "cash",
        "WALLET": "mobile_wallet",
    }.get(str(tender.get("type") or tender.get("destination_type") or ""), "manual")
    return {
        "id": gid("OrderTransaction", tender["id"]),
        "kind": kind,
        "status": "SUCCESS",
        "gateway": gateway,
        "amountSet": money_bag(tender.get("amount_money"), currency),
        "processedAt": tender.get("created_at"),
    }


def order(record: Record, sku_of: dict[str, str]) -> Record:
    """A Shopify `Order` of an engine sale order (refunds resolved separately)."""
    currency = (record.get("total_money") or {}).get("currency") or "USD"
    lines = [line_item(record, line, currency, sku_of) for line in record.get("line_items") or []]
    gross = sum(
        int((x.get("gross_sales_money") or {}).get("amount") or 0)
        for x in record.get("line_items") or []
    )
    discount = int((record.get("total_discount_money") or {}).get("amount") or 0)
    state = record.get("state")
    financial = {"COMPLETED": "PAID", "CANCELED": "VOIDED"}.get(str(state), "PENDING")
    note = (record.get("metadata") or {}).get("note")
    return {
        "id": gid("Order", record["id"]),
        "name": f"#{record.get('reference_id') or record['id']}",
        "createdAt": record["created_at"],
        "updatedAt": record["updated_at"],
        "processedAt": record.get("closed_at") or record["created_at"],
        "closed": state in ("COMPLETED", "CANCELED"),
        "closedAt": record.get("closed_at") if state == "COMPLETED" else None,
        "cancelledAt": record.get("updated_at") if state == "CANCELED" else None,
        "sourceName": "pos",
        "note": note,
        "currencyCode": currency,
        "displayFinancialStatus": financial,
        "retailLocation": {
            "id": gid("Location", record["location_id"]),
            "_id": record["location_id"],
        },
        "subtotalPriceSet": money_bag({"amount": gross - discount, "currency": currency}, currency),
        "totalDiscountsSet": money_bag(record.get("total_discount_money"), currency),
        "totalTaxSet": money_bag(record.get("total_tax_money"), currency),
        "totalPriceSet": money_bag(record.get("total_money"), currency),
        "_lines": lines,
        "_transactions": [transaction(t, currency) for t in record.get("tenders") or []],
        "_engine_id": record["id"],
        "_lines_only": bool(lines),
    }


def source_of(record: Record) -> str | None:
    """The order a return order returns from (None: not a return, or an unlinked one)."""
    for ret in record.get("returns") or []:
        if ret.get("source_order_id"):
            return str(ret["source_order_id"])
    return None


def refund(return_order: Record, sku_of: dict[str, str]) -> Record:
    """A Shopify `Refund` of an engine return order, on the order it returns from (an
    unlinked return is a Refund on its own order)."""
    currency = (return_order.get("total_money") or {}).get("currency") or "USD"
    lines: list[Record] = []
    source = source_of(return_order) or return_order["id"]
    for ret in return_order.get("returns") or []:
        for item in ret.get("return_line_items") or []:
            source_uid = item.get("source_line_item_uid") or item["uid"]
            variation = item.get("catalog_object_id")
            gross = int((item.get("gross_return_money") or {}).get("amount") or 0)
            discount = int((item.get("total_discount_money") or {}).get("amount") or 0)
            quantity = _quantity(item.get("quantity") or "0")
            lines.append(
                {
                    "lineItem": {
                        "id": gid("LineItem", f"{source}-{source_uid}"),
                        "name": item.get("name") or "",
                        "sku": sku_of.get(variation or ""),
                        "quantity": quantity,
                        "variant": {"id": gid("ProductVariant", variation)} if variation else None,
                        "originalUnitPriceSet": money_bag(item.get("base_price_money"), currency),
                        "totalDiscountSet": money_bag(
                            {"amount": discount, "currency": currency}, currency
                        ),
                        "discountedTotalSet": money_bag(
                            {"amount": gross - discount, "currency": currency}, currency
                        ),
                        "taxLines": [],
                    },
                    "quantity": quantity,
                    "subtotalSet": money_bag(
                        {"amount": gross - discount, "currency": currency}, currency
                    ),
                    "totalTaxSet": money_bag(item.get("total_tax_money"), currency),
                    "location": {"id": gid("Location", return_order["location_id"])},
                }
            )
    amounts = return_order.get("return_amounts") or {}
    return {
        "id": gid("Refund", return_order["id"]),
        "createdAt": return_order.get("closed_at") or return_order.get("created_at"),
        "updatedAt": return_order.get("updated_at"),
        "note": (return_order.get("metadata") or {}).get("note"),
        "order": {"id": gid("Order", source)},
        "return": {
            "id": gid("Return", return_order["id"]),
            "name": f"#{return_order.get('reference_id') or return_order['id']}",
        },
        "totalRefundedSet": money_bag(amounts.get("total_money"), currency),
        "_lines": lines,
    }
