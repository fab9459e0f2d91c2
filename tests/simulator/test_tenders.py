"""Tenders: the payment mix, cash change, cards as brand + last four, dirty notes."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from scipy import stats

from simulator.tenders import card_pans, luhn_valid
from tests.simulator.support import Run

_PAN = re.compile(r"\d(?:[ -]?\d){12,18}")


def _sale_tenders(run: Run) -> pa.Table:
    tx = run.table("transactions")
    sales = tx.filter(pc.equal(tx["kind"].cast("string"), "sale"))["txn_id"]
    tenders = run.table("tenders")
    return tenders.filter(pc.is_in(tenders["txn_id"], sales))


def test_tender_mix_matches_configuration(rich_run: Run) -> None:
    tenders = _sale_tenders(rich_run)
    kinds = tenders["kind"].cast("string").to_pylist()
    names = [k for k, _ in rich_run.params.pay_mix]
    observed = np.array([kinds.count(k) for k in names])
    expected = np.array([s for _, s in rich_run.params.pay_mix]) * len(kinds)

    assert observed.sum() == len(kinds)
    assert stats.chisquare(observed, expected).pvalue > 0.01


def test_card_brands_follow_configuration(rich_run: Run) -> None:
    tenders = _sale_tenders(rich_run)
    cards = tenders.filter(pc.is_valid(tenders["brand"]))
    brands = cards["brand"].cast("string").to_pylist()
    observed = np.array(
        [brands.count(b) for b in ("VISA", "MASTERCARD", "AMERICAN_EXPRESS", "DISCOVER")]
    )
    expected = np.array([s for _, s in rich_run.params.card_brands]) * len(brands)

    assert set(cards["kind"].cast("string").to_pylist()) == {"credit", "debit"}
    assert all(re.fullmatch(r"\d{4}", x) for x in cards["last4"].to_pylist())
    assert stats.chisquare(observed, expected).pvalue > 0.01


def test_cash_change_is_tendered_minus_amount(rich_run: Run) -> None:
    tenders = _sale_tenders(rich_run)
    cash = tenders.filter(pc.equal(tenders["kind"].cast("string"), "cash"))
    amount, tendered, change = (
        cash[c].to_numpy() for c in ("amount_minor", "tendered_minor", "change_minor")
    )

    assert np.all(tendered - change == amount)
    assert np.all(change >= 0)
    assert (change > 0).mean() > 0.5
    other = tenders.filter(pc.not_equal(tenders["kind"].cast("string"), "cash"))
    assert np.all(other["change_minor"].to_numpy() == 0)


def test_tenders_cover_each_sale_total(rich_run: Run) -> None:
    tx = rich_run.table("transactions")
    totals = dict(zip(tx["txn_id"].to_pylist(), tx["total_minor"].to_pylist(), strict=True))
    tenders = _sale_tenders(rich_run)

    for txn_id, amount in zip(
        tenders["txn_id"].to_pylist(), tenders["amount_minor"].to_pylist(), strict=True
    ):
        assert totals[txn_id] == amount


def test_card_numbers_in_notes_at_configured_rate_and_luhn_valid(rich_run: Run) -> None:
    tx = rich_run.table("transactions")
    sales = tx.filter(pc.equal(tx["kind"].cast("string"), "sale"))
    notes = [n for n in sales["notes"].to_pylist() if n]
    pans = [re.sub(r"\D", "", m) for n in notes for m in _PAN.findall(n)]

    assert len(pans) == len(notes)
    assert len(notes) / sales.num_rows == pytest.approx(rich_run.params.card_in_notes, rel=0.3)
    assert all(luhn_valid(p) and 13 <= len(p) <= 19 for p in pans)


def test_no_card_numbers_without_dirty_data(rich_run: Run) -> None:
    tx = rich_run.table("transactions")
    others = tx.filter(pc.not_equal(tx["kind"].cast("string"), "sale"))

    assert set(others["notes"].to_pylist()) == {""}


def test_card_pans_end_in_last_four_and_pass_luhn() -> None:
    rng = np.random.default_rng(1)

    pans = card_pans(rng, ["visa", "amex", "mastercard", "discover"], [1234, 5, 9999, 42])

    assert [p[-4:] for p in pans] == ["1234", "0005", "9999", "0042"]
    assert [len(p) for p in pans] == [16, 15, 16, 16]
    assert pans[0][0] == "4"
    assert pans[1][:2] == "37"
    assert all(luhn_valid(p) for p in pans)
    assert not luhn_valid("4111111111111112")
