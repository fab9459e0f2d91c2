"""Order arithmetic as Square does it: line gross, discounts, taxes, totals in minor units.

Amounts are integers of the currency's minor unit; products are rounded half-up. An
`Override` lets the driver impose the discount and tax the register actually computed (the
simulator is the ground truth, e.g. per-document tax rounding), so the POS reports exactly
what the till printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from mocks.pos.engine.errors import InvalidRequest
from mocks.pos.engine.ids import new_id
from mocks.pos.engine.quantities import parse_quantity

Record = dict[str, Any]


@dataclass(frozen=True)
class Override:
    """Discount and tax of one line as the register computed them (minor units)."""

    discount: int
    tax: int
    gross: int | None = None


def money(amount: int, currency: str) -> Record:
    """A Square Money object."""
    return {"amount": amount, "currency": currency}


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _percentage(value: object, field: str) -> Decimal:
    pct = parse_quantity(value, field)
    if pct > 100:
        raise InvalidRequest(
            f"must be between 0 and 100, got {value!r}", field=field, code="VALUE_TOO_HIGH"
        )
    return pct


def _split(total: int, weights: list[int]) -> list[int]:
    """Split `total` over `weights` proportionally without losing a unit (largest remainder)."""
    whole = sum(weights)
    if whole <= 0:
        return [0 for _ in weights]
    shares = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: -((total * weights[i]) % whole))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


def price_order(order: Record, currency: str, *, overrides: list[Override] | None = None) -> Record:
    """Fill in uids and every computed amount of `order` (in place) and return it."""
    lines: list[Record] = order.get("line_items") or []
    taxes: list[Record] = order.get("taxes") or []
    discounts: list[Record] = order.get("discounts") or []
    for collection in (lines, taxes, discounts):
        for entry in collection:
            entry.setdefault("uid", new_id()[:12].lower())
    tax_by_uid = {t["uid"]: t for t in taxes}
    discount_by_uid = {d["uid"]: d for d in discounts}
    gross = []
    for i, line in enumerate(lines):
        qty = parse_quantity(
            line.get("quantity"), f"order.line_items[{i}].quantity", allow_zero=False
        )
        price = int((line.get("base_price_money") or {}).get("amount") or 0)
        gross.append(_round(qty * price))
    line_discounts = [0] * len(lines)
    for d_index, entry_d in enumerate(discounts):
        field = f"order.discounts[{d_index}]"
        scope = entry_d.get("scope") or ("ORDER" if entry_d.get("type") else "LINE_ITEM")
        entry_d["scope"] = scope
        targets = [
            i
            for i, line in enumerate(lines)
            if scope == "ORDER"
            or any(
                a.get("discount_uid") == entry_d["uid"] for a in line.get("applied_discounts") or []
            )
        ]
        kind = entry_d.get("type") or "FIXED_AMOUNT"
        if kind.endswith("PERCENTAGE"):
            pct = _percentage(entry_d.get("percentage"), f"{field}.percentage")
            applied = [_round(gross[i] * pct / 100) for i in targets]
        else:
            amount = int((entry_d.get("amount_money") or {}).get("amount") or 0)
            applied = (
                _split(amount, [gross[i] for i in targets])
                if scope == "ORDER"
                else [amount for _ in targets]
            )
        for i, value in zip(targets, applied, strict=True):
            line_discounts[i] += value
            if scope == "ORDER":
                entries = lines[i].setdefault("applied_discounts", [])
                if not any(a.get("discount_uid") == entry_d["uid"] for a in entries):
                    entries.append({"discount_uid": entry_d["uid"]})
            for entry in lines[i].get("applied_discounts") or []:
                if entry.get("discount_uid") == entry_d["uid"]:
                    entry.setdefault("uid", new_id()[:12].lower())
                    entry["applied_money"] = money(value, currency)
        entry_d["applied_money"] = money(sum(applied), currency)
    totals = {"gross": 0, "discount": 0, "tax": 0, "total": 0}
    for i, line in enumerate(lines):
        discount = min(line_discounts[i], gross[i])
        net = gross[i] - discount
        additive = 0
        inclusive = 0
        for t_index, tax in enumerate(taxes):
            scope = tax.get("scope") or "ORDER"
            tax["scope"] = scope
            entries = line.setdefault("applied_taxes", [])
            if scope == "ORDER" and not any(a.get("tax_uid") == tax["uid"] for a in entries):
                entries.append({"tax_uid": tax["uid"]})
            for entry in entries:
                if entry.get("tax_uid") != tax["uid"]:
                    continue
                pct = _percentage(tax.get("percentage"), f"order.taxes[{t_index}].percentage")
                if tax.get("type") == "INCLUSIVE":
                    value = net - _round(net / (1 + pct / 100))
                    inclusive += value
                else:
                    value = _round(net * pct / 100)
                    additive += value
                entry.setdefault("uid", new_id()[:12].lower())
                entry["applied_money"] = money(value, currency)
        for entry in line.get("applied_taxes") or []:
            if entry.get("tax_uid") not in tax_by_uid:
                raise InvalidRequest(
                    f"tax_uid {entry.get('tax_uid')!r} is not the uid of one of order.taxes",
                    field=f"order.line_items[{i}].applied_taxes",
                )
        for entry in line.get("applied_discounts") or []:
            if entry.get("discount_uid") not in discount_by_uid:
                raise InvalidRequest(
                    f"discount_uid {entry.get('discount_uid')!r} is not the uid of one of "
                    "order.discounts",
                    field=f"order.line_items[{i}].applied_discounts",
                )
        line_tax = additive + inclusive
        if overrides is not None:
            fixed = overrides[i]
            if fixed.gross is not None:
                gross[i] = fixed.gross
            discount, line_tax = fixed.discount, fixed.tax
            net, additive = gross[i] - discount, line_tax
            for entry in line.get("applied_taxes") or []:
                entry["applied_money"] = money(line_tax, currency)
        total = net + additive
        line.update(
            variation_total_price_money=money(gross[i], currency),
            gross_sales_money=money(gross[i], currency),
            total_discount_money=money(discount, currency),
            total_tax_money=money(line_tax, currency),
            total_service_charge_money=money(0, currency),
            total_money=money(total, currency),
        )
        totals["gross"] += gross[i]
        totals["discount"] += discount
        totals["tax"] += line_tax
        totals["total"] += total
    for tax in taxes:
        tax["applied_money"] = money(
            sum(
                e["applied_money"]["amount"]
                for line in lines
                for e in line.get("applied_taxes") or []
                if e.get("tax_uid") == tax["uid"] and "applied_money" in e
            ),
            currency,
        )
    order.update(
        total_money=money(totals["total"], currency),
        total_tax_money=money(totals["tax"], currency),
        total_discount_money=money(totals["discount"], currency),
        total_tip_money=money(0, currency),
        total_service_charge_money=money(0, currency),
        net_amounts={
            "total_money": money(totals["total"], currency),
            "tax_money": money(totals["tax"], currency),
            "discount_money": money(totals["discount"], currency),
            "tip_money": money(0, currency),
            "service_charge_money": money(0, currency),
        },
    )
    return order
