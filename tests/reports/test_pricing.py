"""Pricing discrepancies: sale lines against the ERP price in force at their time."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import reports
from tests.reports.verify_support import edit, read


def _sold_lines(run_dir: Path, sku: str) -> pd.DataFrame:
    tx = read(run_dir, "truth/transactions")
    lines = read(run_dir, "truth/lines")
    sales = set(tx.loc[tx["kind"] == "sale", "txn_id"])
    sold = lines[lines["txn_id"].isin(sales) & ~lines["voided"]]
    return sold[sold["sku"] == sku]


def _popular_sku(run_dir: Path) -> str:
    lines = read(run_dir, "truth/lines")
    return str(lines["sku"].astype(str).value_counts().index[0])


def test_clean_run_has_no_pricing_discrepancy(run_dir: Path) -> None:
    pricing = reports.verify(run_dir).pricing_discrepancies

    assert pricing is not None
    assert pricing.count == 0
    assert pricing.checked > 0
    assert pricing.basis.startswith("ERP end prices")


def test_end_price_change_flags_every_line_of_the_sku(run_dir: Path) -> None:
    sku = _popular_sku(run_dir)

    def reprice(items: pd.DataFrame) -> pd.DataFrame:
        items.loc[items["sku"] == sku, "unit_price_minor"] += 10
        return items

    edit(run_dir, "erp/items", reprice)

    verdict = reports.verify(run_dir)

    assert verdict.pricing_discrepancies is not None
    assert verdict.pricing_discrepancies.count == len(_sold_lines(run_dir, sku))
    assert verdict.findings == ["pricing_discrepancies"]
    assert verdict.passed, "pricing is reported, not an SLO"


def test_recorded_price_change_flags_only_later_lines(run_dir: Path) -> None:
    sku = _popular_sku(run_dir)
    sold = _sold_lines(run_dir, sku)
    change_t = float(sold["t"].median())
    price = int(sold["unit_price_minor"].iat[0])
    pd.DataFrame({"sku": [sku], "t": [change_t], "unit_price_minor": [price + 25]}).to_parquet(
        run_dir / "erp" / "price_changes.parquet"
    )

    pricing = reports.verify(run_dir).pricing_discrepancies

    assert pricing is not None
    assert pricing.count == int((sold["t"] >= change_t).sum())
    assert pricing.basis.startswith("ERP price in force")
    assert pricing.examples[0].endswith(f"at {price} vs ERP {price + 25}")


def test_price_changes_never_applied_are_ignored(run_dir: Path) -> None:
    sku = _popular_sku(run_dir)
    pd.DataFrame(
        {
            "sku": [sku, sku],
            "t": [None, 10.0],
            "unit_price_minor": [1, 2],
            "error": ["not applied", "HTTP 503"],
        }
    ).to_parquet(run_dir / "erp" / "price_changes.parquet")

    pricing = reports.verify(run_dir).pricing_discrepancies

    assert pricing is not None
    assert pricing.count == 0
