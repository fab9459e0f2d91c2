"""Hybrid intake: each document queues, at once, one stock posting moving its lines (out for
a sale, back in for a return) and the document itself carrying the stock payloads that
reverse those moves; both in one state transaction, each once."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from connectors.core.documents import DocumentLine, Payment, PosDocument, PosOrder, Reading
from connectors.core.intake import reference_mapper
from connectors.core.metrics import Metrics
from connectors.core.state import StateStore
from connectors.hybrid.intake import HybridIntake
from tests.connectors.erp import support


class ScriptedPos:
    """Reads each order into the document it was given for it."""

    def __init__(self, documents: dict[str, PosDocument]) -> None:
        self.documents_by_id = documents

    def documents(self, orders: Sequence[PosOrder]) -> list[Reading]:
        return [Reading(o.id, self.documents_by_id[o.id]) for o in orders]


def line(sku: str, quantity: int) -> DocumentLine:
    return DocumentLine(sku, sku.title(), Decimal(quantity), 100, 0, 0)


def document(reference: str, *lines: DocumentLine, is_return: bool = False) -> PosDocument:
    total = sum(x.charged for x in lines)
    return PosDocument(
        order_id=f"O-{reference}",
        reference=reference,
        store_id="S0001",
        currency="USD",
        is_return=is_return,
        day="2026-11-23",
        lines=lines,
        payments=(Payment("cash", total),),
        total=total,
    )


def intake(tmp_path: Path, documents: dict[str, PosDocument]) -> tuple[HybridIntake, StateStore]:
    store = StateStore(tmp_path)
    erp = support.bc()
    hybrid = HybridIntake(
        store=store,
        pos=ScriptedPos(documents),  # type: ignore[arg-type]
        erp=erp,
        mapper=reference_mapper(erp),
        metrics=Metrics(),
    )
    return hybrid, store


def order(order_id: str) -> PosOrder:
    return PosOrder(order_id, True, "2026-11-23T11:00:00Z", {})


def test_a_sale_moves_stock_now_and_its_invoice_takes_it_back(tmp_path: Path) -> None:
    hybrid, store = intake(tmp_path, {"O-T1": document("T1", line("SKU-A", 2), line("SKU-B", 1))})
    assert hybrid.queue([order("O-T1")]) == 2
    assert hybrid.queue([order("O-T1")]) == 0
    rows = {row.key: row for row in store.claim(10)}
    assert sorted(rows) == ["invoice:T1", "journal:T1"]
    stock = rows["journal:T1"]
    assert (stock.kind, stock.ext_no) == ("journal", "T1:1")
    assert [
        (x["itemNumber"], x["quantity"], x["externalDocumentNumber"])
        for x in stock.payload["lines"]
    ] == [("SKU-A", -2.0, "T1:1"), ("SKU-B", -1.0, "T1:2")]
    reversals = rows["invoice:T1"].extra["reversals"]
    assert [(x["itemNumber"], x["quantity"], x["externalDocumentNumber"]) for x in reversals] == [
        ("SKU-A", 2.0, "T1:1R"),
        ("SKU-B", 1.0, "T1:2R"),
    ]
    assert reversals[0]["description"] == "reversal of POS invoice T1"


def test_a_return_puts_stock_back_now_with_a_single_journal_line(tmp_path: Path) -> None:
    returned = document("R1", line("SKU-A", 3), is_return=True)
    hybrid, store = intake(tmp_path, {"O-R1": returned})
    assert hybrid.queue([order("O-R1")]) == 2
    rows = {row.key: row for row in store.claim(10)}
    assert rows["journal:R1"].payload == {
        "itemNumber": "SKU-A",
        "locationCode": "S0001",
        "quantity": 3.0,
        "externalDocumentNumber": "R1:1",
        "description": "POS credit_memo R1",
    }
    assert [x["quantity"] for x in rows["credit_memo:R1"].extra["reversals"]] == [-3.0]
