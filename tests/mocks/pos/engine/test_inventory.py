"""Property: however changes arrive (order, batching), the count equals the last physical
count by occurred_at plus the adjustments after it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from mocks.pos.engine import inventory
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import metadata
from mocks.pos.engine.timestamps import fmt
from tests.mocks.pos.support import make_settings

START = datetime(2026, 11, 27, 7, tzinfo=UTC)

change_kinds = st.one_of(
    st.tuples(st.just("PHYSICAL_COUNT"), st.integers(0, 500)),
    st.tuples(st.sampled_from(["SOLD", "WASTE", "RETURN"]), st.integers(1, 20)),
)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[inventory.Change], list[int], list[int]]:
    kinds = draw(st.lists(change_kinds, min_size=1, max_size=25))
    minutes = draw(
        st.lists(st.integers(0, 10_000), min_size=len(kinds), max_size=len(kinds), unique=True)
    )
    changes = []
    for (kind, qty), minute in zip(kinds, minutes, strict=True):
        moment = fmt(START + timedelta(minutes=minute))
        if kind == "PHYSICAL_COUNT":
            changes.append(
                inventory.Change(
                    type=kind,
                    catalog_object_id="V",
                    location_id="L",
                    quantity=Decimal(qty),
                    occurred_at=moment,
                    state="IN_STOCK",
                )
            )
        else:
            source, target = ("NONE", "IN_STOCK") if kind == "RETURN" else ("IN_STOCK", kind)
            changes.append(
                inventory.Change(
                    type="ADJUSTMENT",
                    catalog_object_id="V",
                    location_id="L",
                    quantity=Decimal(qty),
                    occurred_at=moment,
                    from_state=source,
                    to_state=target,
                )
            )
    order = draw(st.permutations(range(len(changes))))
    cuts = draw(st.lists(st.integers(1, len(changes)), max_size=5))
    return changes, list(order), sorted(set(cuts))


def expected_in_stock(changes: list[inventory.Change]) -> Decimal:
    total = Decimal(0)
    for change in sorted(changes, key=lambda c: c.occurred_at):
        if change.type == "PHYSICAL_COUNT":
            total = change.quantity
        elif change.to_state == "IN_STOCK":
            total += change.quantity
        elif change.from_state == "IN_STOCK":
            total -= change.quantity
    return total


@settings(max_examples=40, deadline=None)
@given(histories())
def test_count_is_independent_of_arrival_order(
    history: tuple[list[inventory.Change], list[int], list[int]],
) -> None:
    changes, order, cuts = history
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)
    store = PosStore(db=engine, settings=make_settings(Path("/tmp")))
    arrived = [changes[i] for i in order]
    bounds = [0, *cuts, len(arrived)]
    with engine.begin() as conn:
        for lo, hi in itertools.pairwise(bounds):
            if lo < hi:
                inventory.apply_changes(conn, store, arrived[lo:hi], emit_event=False)
        counts = inventory.list_counts(
            conn,
            catalog_object_ids=["V"],
            location_ids=["L"],
            states=["IN_STOCK"],
            updated_after=None,
            after=None,
            limit=10,
        )
    engine.dispose()
    expected = expected_in_stock(changes)
    if not counts:
        assert expected == 0
    else:
        assert Decimal(counts[0]["quantity"]) == expected
