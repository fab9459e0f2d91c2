"""Tryton's point of sale as the connector posts to it: `TrytonPos` over a `TrytonRpc`.

A sale (or a return, with negative quantities) is one ``sale.point.sale`` created,
processed (numbered) and posted (stock move and accounting entry); a stock adjustment is one
done ``stock.move`` between the store's storage location and lost-and-found. The
``tillbench_pos`` module's unique ``pos_reference`` makes every posting idempotent:
references already in Tryton are skipped. Master data ids (sale points, products, payment
methods) are read once and cached.

Only what the connector needs is here; the harness reads Tryton with its own reader.

Example::

    pos = TrytonPos(TrytonRpc("http://127.0.0.1:8000/tillbench/", user="admin", password="…"))
    pos.post_sales([PosSale("ORD-1", "S0001", date(2026, 11, 23),
                            (PosLine("SKU-00001", Decimal(2), Decimal("3.0498")),),
                            (("credit", Decimal("6.10")),))])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from connectors.erp.tryton.client import TrytonError, TrytonRpc

__all__ = ["PosLine", "PosSale", "Posted", "StockMove", "TrytonPos"]

_CHUNK = 500
_PRICE = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class PosLine:
    """One line; prices per unit, up to 4 decimals, discounts deducted.

    ``unit_gross_price`` includes tax. ``unit_list_price`` excludes it; when None it is
    derived from the gross price and the product's tax rate (which may split a line's
    amount between net and tax a cent differently from the POS).
    """

    sku: str
    quantity: Decimal
    unit_gross_price: Decimal
    unit_list_price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PosSale:
    """A POS sale, or a return (negative quantities and payment amounts)."""

    reference: str
    store_id: str
    date: dt.date
    lines: tuple[PosLine, ...]
    payments: tuple[tuple[str, Decimal], ...]
    """(tender name = Tryton payment method, amount)"""


@dataclass(frozen=True, slots=True)
class StockMove:
    """A stock adjustment at a store: + into the store's storage, - out of it."""

    reference: str
    store_id: str
    sku: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class Posted:
    """A sale as Tryton holds it."""

    reference: str
    id: int
    number: str | None
    state: str


@dataclass(frozen=True, slots=True)
class _Point:
    id: int
    storage: int
    returns: int


@dataclass(frozen=True, slots=True)
class _Product:
    id: int
    unit: int
    rate: Decimal


class TrytonPos:
    """POS postings on one Tryton database; master data ids are read once and cached."""

    def __init__(self, rpc: TrytonRpc) -> None:
        self.rpc = rpc
        ctx = rpc.context
        self.company = int(ctx.get("company") or 0)
        points = rpc.model(
            "sale.point",
            "search_read",
            [],
            0,
            None,
            None,
            ["name", "storage_location", "return_location"],
        )
        self._points = {
            p["name"]: _Point(
                p["id"], p["storage_location"], p["return_location"] or p["storage_location"]
            )
            for p in points
        }
        rates = {
            t["id"]: Decimal(t["rate"] or 0)
            for t in rpc.model("account.tax", "search_read", [], 0, None, None, ["rate", "type"])
            if t["type"] == "percentage"
        }
        categories = {
            c["id"]: sum((rates.get(t, Decimal(0)) for t in c["customer_taxes"]), Decimal(0))
            for c in rpc.model(
                "product.category", "search_read", [], 0, None, None, ["customer_taxes"]
            )
        }
        self._products: dict[str, _Product] = {}
        for p in _paged(
            rpc,
            "product.product",
            [("code", "!=", None)],
            ["code", "default_uom", "template.account_category"],
        ):
            category = (p.get("template.") or {}).get("account_category")
            self._products[p["code"]] = _Product(
                p["id"], p["default_uom"], categories.get(category, Decimal(0))
            )
        methods = rpc.model(
            "sale.point.payment.method", "search_read", [], 0, None, None, ["name", "cash"]
        )
        self._methods = {m["name"]: m["id"] for m in methods}
        cash = [m["id"] for m in methods if m["cash"]]
        self._cash = cash[0] if cash else None
        lost = rpc.model("stock.location", "search", [("type", "=", "lost_found")], 0, 1, None)
        self._lost_found = lost[0] if lost else None
        currency = rpc.model("company.company", "read", [self.company], ["currency.rounding"])
        rounding = (currency[0].get("currency.") or {}).get("rounding") if currency else None
        self._cent = Decimal(rounding) if rounding else Decimal("0.01")

    # master data

    def skus(self) -> list[str]:
        return sorted(self._products)

    def store_ids(self) -> list[str]:
        return sorted(self._points)

    # sales

    def find(self, references: Sequence[str]) -> dict[str, Posted]:
        """The sales of `references` Tryton has, by reference (missing ones left out)."""
        rows = _by_reference(self.rpc, "sale.point.sale", references, ["number", "state"])
        return {r["pos_reference"]: _posted(r) for r in rows}

    def post_sales(self, sales: Sequence[PosSale]) -> dict[str, Posted]:
        """Create, process and post `sales` in one call each; references found are skipped.

        A reference Tryton has but did not finish (open or done after an interrupted
        post) is finished. Payments are adjusted to Tryton's total when they differ by
        rounding only (Tryton rounds each line, the POS may round per document); returns
        are refunded with the cash method, the only one Tryton allows a negative amount.
        """
        if not sales:
            return {}
        by_ref = {sale.reference: sale for sale in sales}
        if len(by_ref) != len(sales):
            raise TrytonError(400, "post_sales: the same reference twice in one batch")
        values = {ref: self._sale_values(sale) for ref, sale in by_ref.items()}
        for _attempt in range(3):
            found = self.find(list(by_ref))
            todo = [ref for ref in by_ref if ref not in found]
            to_process = [p.id for p in found.values() if p.state == "open"]
            to_post = [p.id for p in found.values() if p.state == "done"]
            if not todo:
                break
            try:
                created = self.rpc.model("sale.point.sale", "create", [values[r] for r in todo])
            except TrytonError as exc:
                if exc.status != 409:
                    raise
                continue
            to_process += created
            break
        else:
            raise TrytonError(409, f"post_sales: references kept colliding: {sorted(by_ref)[:5]}")
        try:
            if to_process:
                self.rpc.model("sale.point.sale", "process", to_process)
            if to_process or to_post:
                self.rpc.model("sale.point.sale", "post", to_process + to_post)
        except TrytonError as exc:
            if exc.status != 400:
                raise
            self._settle([*to_process, *to_post], exc)
        ids = [p.id for p in found.values() if p.state not in {"open", "done"}]
        rows = self.rpc.model(
            "sale.point.sale",
            "read",
            ids + to_process + to_post,
            ["pos_reference", "number", "state"],
        )
        return {r["pos_reference"]: _posted(r) for r in rows}

    def _settle(self, ids: list[int], refused: TrytonError) -> None:
        """Finish `ids` after Tryton refused a step: another caller posting the same
        references may have moved them on (Tryton refuses `process` on a done sale and
        `post` on a posted one), or a sale stays open because its payments fall short."""
        for _attempt in range(3):
            rows = self.rpc.model("sale.point.sale", "read", ids, ["state"])
            opened = [r["id"] for r in rows if r["state"] == "open"]
            done = [r["id"] for r in rows if r["state"] == "done"]
            if not opened and not done:
                return
            try:
                if opened:
                    self.rpc.model("sale.point.sale", "process", opened)
                self.rpc.model("sale.point.sale", "post", opened + done)
            except TrytonError as exc:
                if exc.status != 400:
                    raise
                refused = exc
                continue
            return
        rows = self.rpc.model("sale.point.sale", "read", ids, ["pos_reference", "state"])
        stuck = sorted(r["pos_reference"] for r in rows if r["state"] == "open")
        if stuck:
            raise TrytonError(
                400, f"sales {stuck[:5]} stay open after process: payments do not cover the total"
            ) from refused
        raise refused

    def _sale_values(self, sale: PosSale) -> dict[str, Any]:
        point = self._point(sale.store_id, sale.reference)
        lines = []
        total = Decimal(0)
        for line in sale.lines:
            product = self._product(line.sku, sale.reference)
            gross = line.unit_gross_price.quantize(_PRICE)
            lines.append(
                {
                    "product": product.id,
                    "quantity": float(line.quantity),
                    "unit_gross_price": gross,
                    "unit_list_price": (
                        line.unit_list_price
                        if line.unit_list_price is not None
                        else gross / (1 + product.rate)
                    ).quantize(_PRICE),
                }
            )
            total += (line.quantity * gross).quantize(self._cent)
        return {
            "point": point.id,
            "company": self.company,
            "date": sale.date,
            "pos_reference": sale.reference,
            "lines": [("create", lines)],
            "payments": [("create", self._payments(sale, total))],
        }

    def _payments(self, sale: PosSale, total: Decimal) -> list[dict[str, Any]]:
        paid = [(name, amount) for name, amount in sale.payments if amount]
        difference = total - sum((a for _n, a in paid), Decimal(0))
        if difference:
            if abs(difference) > self._cent * max(1, len(sale.lines)) or not paid:
                raise TrytonError(
                    400,
                    f"sale {sale.reference}: payments {total - difference} do not cover Tryton's "
                    f"total {total} (sum of quantity x unit_gross_price rounded per line)",
                )
            name, amount = paid[-1]
            paid[-1] = (name, amount + difference)
        out = []
        for name, amount in paid:
            method = self._methods.get(name)
            if method is None:
                raise TrytonError(
                    400,
                    f"sale {sale.reference}: unknown tender {name!r}; Tryton's payment methods "
                    f"are {sorted(self._methods)}",
                )
            if amount < 0 and self._cash is not None:
                method = self._cash
            out.append({"method": method, "amount": amount})
        return out

    def _point(self, store_id: str, reference: str) -> _Point:
        point = self._points.get(store_id)
        if point is None:
            raise TrytonError(
                400,
                f"{reference}: unknown store {store_id!r}; Tryton's sale points are "
                f"{sorted(self._points)[:10]} (run `tillbench erp tryton init` for the scenario)",
            )
        return point

    def _product(self, sku: str, reference: str) -> _Product:
        product = self._products.get(sku)
        if product is None:
            raise TrytonError(
                400,
                f"{reference}: unknown SKU {sku!r}; Tryton has no product with that code "
                f"({len(self._products)} products, loaded by `tillbench erp tryton init`)",
            )
        return product

    # stock moves

    def find_moves(self, references: Sequence[str]) -> dict[str, int]:
        """reference -> stock.move id of the adjustments Tryton has."""
        rows = _by_reference(self.rpc, "stock.move", references, [])
        return {r["pos_reference"]: r["id"] for r in rows}

    def move_stock(self, moves: Sequence[StockMove]) -> dict[str, int]:
        """Post adjustments as done moves (one create, one do); zero quantities are skipped."""
        if self._lost_found is None:
            raise TrytonError(400, "move_stock: Tryton has no lost-and-found location")
        by_ref = {m.reference: m for m in moves if m.quantity}
        if not by_ref:
            return {}
        values = {}
        for ref, move in by_ref.items():
            point = self._point(move.store_id, ref)
            product = self._product(move.sku, ref)
            inward = move.quantity > 0
            values[ref] = {
                "product": product.id,
                "unit": product.unit,
                "quantity": float(abs(move.quantity)),
                "from_location": self._lost_found if inward else point.storage,
                "to_location": point.storage if inward else self._lost_found,
                "company": self.company,
                "pos_reference": ref,
            }
        for _attempt in range(3):
            todo = [ref for ref in by_ref if ref not in self.find_moves(list(by_ref))]
            if not todo:
                break
            try:
                ids = self.rpc.model("stock.move", "create", [values[ref] for ref in todo])
                self.rpc.model("stock.move", "tillbench_done", ids)
                break
            except TrytonError as exc:
                if exc.status != 409:
                    raise
        found = self.find_moves(list(by_ref))
        undone = self.rpc.model(
            "stock.move", "search", [("id", "in", list(found.values())), ("state", "!=", "done")]
        )
        if undone:
            self.rpc.model("stock.move", "tillbench_done", undone)
        return found


def _posted(row: dict[str, Any]) -> Posted:
    return Posted(row["pos_reference"], row["id"], row["number"], row["state"])


def _by_reference(
    rpc: TrytonRpc, model: str, references: Sequence[str], fields: list[str]
) -> Iterator[dict[str, Any]]:
    """The rows of `model` whose pos_reference is one of `references`, with `fields`."""
    items = list(references)
    for start in range(0, len(items), _CHUNK):
        chunk = items[start : start + _CHUNK]
        yield from rpc.model(
            model,
            "search_read",
            [("pos_reference", "in", chunk)],
            0,
            None,
            None,
            ["pos_reference", *fields],
        )


def _paged(
    rpc: TrytonRpc,
    model: str,
    domain: list[Any],
    fields: list[str],
    *,
    context: dict[str, Any] | None = None,
    page: int = 1000,
) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        rows = rpc.model(
            model, "search_read", domain, offset, page, [("id", "ASC")], fields, context=context
        )
        yield from rows
        if len(rows) < page:
            return
        offset += page
