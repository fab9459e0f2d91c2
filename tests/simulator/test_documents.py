"""Every generated document rebuilds as a `domain` object that agrees to the minor unit."""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from domain import Cancel, PostVoid, Return, Sale
from simulator import Params, simulate_traffic
from simulator.documents import Document, build_documents
from tests.simulator.support import Run, small_scenario

SAMPLE = 3000


def _documents(
    run: Run, kinds: set[str], sample: int | None = None
) -> list[tuple[dict[str, Any], Document]]:
    tx = run.table("transactions")
    tx = tx.filter(pc.is_in(tx["kind"].cast("string"), pa.array(sorted(kinds))))
    if sample is not None and tx.num_rows > sample:
        step = tx.num_rows // sample
        tx = tx.take(list(range(0, tx.num_rows, step))[:sample])
    p = run.params
    lines, tenders = run.table("lines"), run.table("tenders")
    return list(
        build_documents(
            tx,
            lines.filter(pc.is_in(lines["txn_id"], tx["txn_id"])),
            tenders.filter(pc.is_in(tenders["txn_id"], tx["txn_id"])),
            tax_rates={tc.name: tc.rate for tc in p.tax_classes},
            tax_rounding=p.tax_rounding,
            rounding=p.rounding,
        )
    )


def test_sales_rebuild_as_domain_sales_with_equal_totals(rich_run: Run) -> None:
    docs = _documents(rich_run, {"sale"}, SAMPLE)

    assert len(docs) == SAMPLE
    voided_lines = 0
    for row, sale in docs:
        assert isinstance(sale, Sale)
        assert sale.subtotal.minor_units() == row["subtotal_minor"]
        assert sale.tax_total.minor_units() == row["tax_minor"]
        assert sale.total.minor_units() == row["total_minor"]
        assert (
            sum(line.discount_total.minor_units() for line in sale.active_lines)
            == row["discount_minor"]
        )
        assert sum(int(line.quantity) for line in sale.active_lines) == row["units"]
        assert row["started_at"] <= row["completed_at"]
        voided_lines += sum(line.voided for line in sale.lines)
    assert voided_lines > 0


def test_returns_rebuild_and_reference_earlier_sales(rich_run: Run) -> None:
    docs = _documents(rich_run, {"return"})
    tx = rich_run.table("transactions")
    completed = dict(zip(tx["txn_id"].to_pylist(), tx["completed_at"].to_pylist(), strict=True))
    lines = rich_run.table("lines")
    line_keys = set(zip(lines["txn_id"].to_pylist(), lines["line_no"].to_pylist(), strict=True))

    receipted: collections.Counter[bool] = collections.Counter()
    for row, ret in docs:
        assert isinstance(ret, Return)
        assert ret.total.minor_units() == row["total_minor"]
        assert ret.receipted == row["receipted"]
        receipted[ret.receipted] += 1
        original = ret.original_txn_id
        if original is not None and not original.endswith("-PRE"):
            assert completed[original] < row["arrived_at"]
            assert (original, ret.lines[0].original_line_no) in line_keys
    share = receipted[True] / len(docs)
    assert abs(share - rich_run.params.receipted) < 0.06


def test_cancels_and_post_voids_rebuild(rich_run: Run) -> None:
    docs = _documents(rich_run, {"cancel", "post_void"})
    tx = rich_run.table("transactions")
    kinds = dict(zip(tx["txn_id"].to_pylist(), tx["kind"].cast("string").to_pylist(), strict=True))

    seen = collections.Counter(type(doc).__name__ for _, doc in docs)
    assert seen["Cancel"] > 10
    assert seen["PostVoid"] > 10
    for row, doc in docs:
        if isinstance(doc, PostVoid):
            assert kinds[doc.voided_txn_id] == "sale"
            assert row["completed_at"] == doc.voided_at
        else:
            assert isinstance(doc, Cancel)
            assert doc.lines
    tenders = rich_run.table("tenders")
    cancel_ids = [r["txn_id"] for r, d in docs if isinstance(d, Cancel)]
    assert not pc.any(pc.is_in(tenders["txn_id"], pa.array(cancel_ids))).as_py()


@pytest.mark.parametrize(
    ("currency", "tax_rounding", "rounding"),
    [
        ("USD", "per_line", "half_even"),
        ("JPY", "per_document", "half_up"),
        ("EUR", "per_line", "half_up"),
    ],
)
def test_documents_agree_under_every_rounding_rule(
    tmp_path: Path, currency: str, tax_rounding: str, rounding: str
) -> None:
    scenario = small_scenario(
        **{
            "duration": "1d",
            "chain.stores": 1,
            "currency": currency,
            "catalog.tax_rounding": tax_rounding,
            "catalog.rounding": rounding,
            "catalog.price.median": 350 if currency == "JPY" else 3.49,
        }
    )
    simulate_traffic(scenario, tmp_path)
    run = Run(scenario, Params.from_scenario(scenario), tmp_path, None)  # type: ignore[arg-type]

    docs = _documents(run, {"sale", "return"})

    assert len(docs) > 500
    for row, doc in docs:
        assert isinstance(doc, Sale | Return)
        assert doc.currency == currency
        assert doc.total.minor_units() == row["total_minor"]
        assert doc.tax_total.minor_units() == row["tax_minor"]


def test_no_sale_line_is_returned_twice_or_beyond_its_quantity(rich_run: Run) -> None:
    lines = rich_run.table("lines")
    sold = {
        (txn, no): qty
        for txn, no, qty in zip(
            lines["txn_id"].to_pylist(),
            lines["line_no"].to_pylist(),
            lines["quantity"].to_pylist(),
            strict=True,
        )
    }
    refs = lines.filter(pc.is_valid(lines["original_txn_id"]))
    keys = list(
        zip(refs["original_txn_id"].to_pylist(), refs["original_line_no"].to_pylist(), strict=True)
    )
    from_run = [
        (k, q) for k, q in zip(keys, refs["quantity"].to_pylist(), strict=True) if k in sold
    ]

    assert len(from_run) > 100
    assert len(set(keys)) == len(keys)
    assert all(q <= sold[k] for k, q in from_run)
