"""The planted bugs are seams wrapped from outside: each has its script here and its
`Seams`, and each wrapper changes only what its bug is about."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from connectors.core.documents import DocumentLine, ErpDocument, Payment, PosDocument, PosOrder
from connectors.core.intake import Mapper, reference_mapper
from connectors.core.seams import Seams
from connectors.core.state import InboxEvent
from connectors.pos import WebhookEvent
from tests.connectors.erp import support
from tests.connectors.planted.support import (
    PLANTED,
    CardNotes,
    DeliveryKeyed,
    DropSales,
    IgnoreReturns,
    dropped,
)

NAMES = {
    "drop-sales",
    "double-post",
    "absolute-stock",
    "ignore-returns",
    "tax-per-line",
    "card-notes",
    "delivery-keyed",
}


def test_every_planted_bug_has_its_script_and_its_seams() -> None:
    assert set(PLANTED) == NAMES
    for name, seams_for in PLANTED.items():
        script = Path(__file__).with_name(f"{name.replace('-', '_')}.py")
        assert script.is_file(), script
        assert f'main("{name}")' in script.read_text()
        seams = seams_for("realtime")
        assert isinstance(seams, Seams)
        assert type(seams) is not Seams


def document(reference: str, *, is_return: bool = False, note: str = "") -> PosDocument:
    return PosDocument(
        order_id=f"order-{reference}",
        reference=reference,
        store_id="S0001",
        currency="USD",
        is_return=is_return,
        day="2026-11-23",
        lines=(DocumentLine("SKU-A", "Apples", Decimal(1), 250, 0, 0),),
        payments=(Payment("cash", 250),),
        total=250,
        note=note,
    )


def mapper_with(seams: Seams) -> Mapper:
    erp = seams.erp(support.bc())
    return seams.mapper(reference_mapper(erp), erp=erp)


def test_drop_sales_drops_the_sales_its_hash_picks_and_nothing_else() -> None:
    picked = next(f"T{i}" for i in range(1000) if dropped(f"T{i}", 0.25))
    spared = next(f"T{i}" for i in range(1000) if not dropped(f"T{i}", 0.25))
    wrong = mapper_with(DropSales(0.25))
    assert wrong(document(picked)) is None
    assert isinstance(wrong(document(spared)), ErpDocument)
    assert isinstance(wrong(document(picked, is_return=True)), ErpDocument)


def test_ignore_returns_drops_every_return_and_nothing_else() -> None:
    wrong = mapper_with(IgnoreReturns())
    assert wrong(document("R1", is_return=True)) is None
    assert isinstance(wrong(document("T1")), ErpDocument)


@pytest.mark.parametrize(("seams", "kept"), [(Seams(), False), (CardNotes(), True)])
def test_only_the_card_notes_bug_keeps_a_card_number(seams: Seams, kept: bool) -> None:
    mapped = mapper_with(seams)(document("T1", note="4111 1111 1111 1111"))
    assert mapped is not None
    description = mapped.body["salesInvoiceLines"][0]["description"]
    assert ("4111 1111 1111 1111" in description) is kept


def test_delivery_keyed_takes_each_delivery_for_new_work_and_renumbers_repeats() -> None:
    class Pos:
        def read_event(self, body: bytes) -> WebhookEvent:
            return WebhookEvent("same", "order", "gid://shopify/Order/1")

        def order_ids(self, events: list[InboxEvent]) -> list[str]:
            return ["gid://shopify/Order/1"] if events else []

        def orders(self, ids: list[str]) -> list[PosOrder]:
            return [PosOrder(i, True, "t", {}) for i in ids]

    seams = DeliveryKeyed()
    pos = seams.pos(Pos(), erp=None)  # type: ignore[arg-type]
    first, second = pos.read_event(b"{}"), pos.read_event(b"{}")
    assert first is not None
    assert second is not None
    assert first.event_id != second.event_id
    events = [(first.event_id, "order", None, "{}"), (second.event_id, "order", None, "{}")]
    ids = pos.order_ids(events)
    assert len(set(ids)) == 2
    assert {o.id for o in pos.orders(ids)} == set(ids)
    mapper = seams.mapper(lambda d: d, erp=None)  # type: ignore[arg-type,return-value]
    doc = PosDocument("o", "T1", "S1", "USD", False, "2026-01-01", (), (), 0)
    assert [mapper(doc).reference for _ in range(2)] == ["T1", "T1-2"]  # type: ignore[union-attr]
