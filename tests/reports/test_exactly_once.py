"""Planted document bugs are caught with the right diagnosis and exact counts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

import reports
from tests.reports.verify_support import Truth, edit, read


def _first_failed(verdict: reports.Verdict) -> list[str]:
    return [slo.name for slo in verdict.slos if not slo.passed]


def test_dropped_invoices_are_missing(run_dir: Path) -> None:
    docs = read(run_dir, "erp/documents")
    invoices = docs.index[docs["kind"] == "invoice"]
    dropped = np.random.default_rng(7).choice(
        invoices, size=round(0.02 * len(invoices)), replace=False
    )
    dropped_ids = set(docs.loc[dropped, "external_document_number"])
    edit(run_dir, "erp/documents", lambda d: d.drop(index=dropped))

    verdict = reports.verify(run_dir)

    once = verdict.exactly_once
    assert once.missing.count == len(dropped) == 3
    assert once.missing.by_kind == {"sale": 3}
    assert set(once.missing.examples) == dropped_ids
    assert once.duplicated.count == once.mismatched.count == once.unexpected.count == 0
    assert verdict.exit_code == 1
    assert _first_failed(verdict) == ["missing"]
    assert verdict.slos[1].detail == "3 missing transactions, 3 over the limit of 0"
    assert verdict.findings == ["missing"]
    assert verdict.diagnosis[0].startswith("missing: 3 of ")
    assert "(3 sale)" in verdict.diagnosis[0]


def test_double_posted_invoices_are_duplicated(run_dir: Path) -> None:
    docs = read(run_dir, "erp/documents")
    lines = read(run_dir, "erp/document_lines")
    twice = docs[docs["kind"] == "invoice"].iloc[[5, 40, 90]].copy()
    old_ids = list(twice["document_id"])
    twice["document_id"] = [f"DUP{i}" for i in range(3)]
    twice["committed_t"] += 30.0
    copies = lines[lines["document_id"].isin(old_ids)].copy()
    copies["document_id"] = copies["document_id"].map(
        dict(zip(old_ids, twice["document_id"], strict=True))
    )
    edit(run_dir, "erp/documents", lambda d: pd.concat([d, twice], ignore_index=True))
    edit(run_dir, "erp/document_lines", lambda d: pd.concat([d, copies], ignore_index=True))

    verdict = reports.verify(run_dir)

    once = verdict.exactly_once
    assert once.duplicated.count == 3
    assert once.extra_documents == 3
    assert set(once.duplicated.examples) == set(twice["external_document_number"])
    assert once.missing.count == once.mismatched.count == 0
    assert _first_failed(verdict) == ["duplicates"]
    assert verdict.findings == ["duplicated"]
    assert verdict.diagnosis == [
        "duplicated: 3 transactions posted more than once (3 extra ERP documents), "
        f"e.g. {', '.join(once.duplicated.examples)}"
    ]


def test_one_cent_of_tax_is_a_tax_mismatch(run_dir: Path, truth: Truth) -> None:
    docs = read(run_dir, "erp/documents")
    lines = read(run_dir, "erp/document_lines")
    single = lines.groupby("document_id").filter(
        lambda g: len(g) == 1 and g["tax_minor"].iat[0] > 0
    )
    target = single["document_id"].iat[0]
    txn = docs.loc[docs["document_id"] == target, "external_document_number"].iat[0]

    def bump(frame: pd.DataFrame) -> pd.DataFrame:
        columns = ["tax_minor", "total_minor"] if "total_minor" in frame else ["tax_minor"]
        frame.loc[frame["document_id"] == target, columns] += 1
        return frame

    edit(run_dir, "erp/documents", bump)
    edit(run_dir, "erp/document_lines", bump)

    verdict = reports.verify(run_dir)

    once = verdict.exactly_once
    assert once.mismatched.count == once.mismatched_tax.count == 1
    assert once.mismatched_tax.examples == [txn]
    assert once.mismatched_amount.count == once.mismatched_quantity.count == 0
    assert once.per_line_tax_rounding == 0
    assert _first_failed(verdict) == ["mismatched"]
    assert verdict.findings == ["mismatched_tax"]
    assert verdict.diagnosis == [
        f"mismatched tax: 1 document with a tax other than the POS's, e.g. {txn}"
    ]


def _round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_per_line_tax_rounding_is_named(run_dir: Path) -> None:
    catalog = read(run_dir, "truth/catalog")
    rate = dict(zip(catalog["sku"], catalog["tax_rate"].map(Decimal), strict=True))
    lines = read(run_dir, "erp/document_lines")
    net = lines["quantity"].astype(int) * lines["unit_price_minor"] - lines["discount_minor"]
    lines["tax_minor"] = [
        _round_half_up(rate[sku] * n) for sku, n in zip(lines["sku"], net, strict=True)
    ]
    docs = read(run_dir, "erp/documents")
    new_tax = lines.groupby("document_id")["tax_minor"].sum()
    old_tax = docs.set_index("document_id")["tax_minor"]
    changed = docs.loc[
        docs["document_id"].map(new_tax) != docs["document_id"].map(old_tax),
        "external_document_number",
    ]
    docs["total_minor"] += docs["document_id"].map(new_tax) - docs["tax_minor"]
    docs["tax_minor"] = docs["document_id"].map(new_tax)
    edit(run_dir, "erp/documents", lambda _: docs)
    edit(run_dir, "erp/document_lines", lambda _: lines)

    verdict = reports.verify(run_dir)

    once = verdict.exactly_once
    assert len(changed) > 0
    assert once.mismatched_tax.count == len(changed)
    assert once.per_line_tax_rounding == len(changed)
    assert once.mismatched_amount.count == 0
    assert set(once.mismatched_tax.examples) <= set(changed)
    assert verdict.findings == ["tax_rounded_per_line"]
    assert verdict.diagnosis[0].startswith(
        f"tax rounded per line: {len(changed)} documents with a tax total other than the "
        "POS's (mismatched tax), each line holding round(rate × net) instead of its share of "
        "the document's tax"
    )


def test_ignored_returns_are_missing_credit_memos_with_drift(run_dir: Path, truth: Truth) -> None:
    returns = {txn for txn, kind in truth.kinds.items() if kind == "return"}
    edit(
        run_dir,
        "erp/documents",
        lambda d: d[~d["external_document_number"].isin(returns)],
    )
    returned = read(run_dir, "truth/lines")
    returned = returned[returned["txn_id"].isin(returns)]
    by_pair = returned.groupby(["store_id", "sku"], observed=True)["quantity"].sum()

    def lose_returns(samples: pd.DataFrame) -> pd.DataFrame:
        key = pd.MultiIndex.from_frame(samples[["store_id", "sku"]])
        samples["erp_qty"] -= by_pair.reindex(key).fillna(0).to_numpy()
        return samples

    edit(run_dir, "samples/stock", lose_returns)

    verdict = reports.verify(run_dir)

    once = verdict.exactly_once
    assert once.missing.count == len(returns)
    assert once.missing.by_kind == {"return": len(returns)}
    assert verdict.drift is not None
    assert verdict.drift.pairs_off == len(by_pair)
    assert verdict.drift.sum_abs == by_pair.sum()
    assert verdict.diagnosis[0].startswith(
        f"returns ignored: none of the {len(returns)} returns has a credit memo in the ERP "
        "(missing credit memos)"
    )
    assert verdict.findings == ["returns_ignored", "drift"]
    assert verdict.diagnosis[1].startswith("drift: the ERP book differs from the POS book in")
    assert _first_failed(verdict) == ["missing", "converge_within"]


def test_missing_post_void_credit_memo(run_dir: Path, truth: Truth) -> None:
    post_void = next(txn for txn, kind in truth.kinds.items() if kind == "post_void")
    edit(run_dir, "erp/documents", lambda d: d[d["external_document_number"] != post_void])

    once = reports.verify(run_dir).exactly_once

    assert once.missing.count == 1
    assert once.missing.by_kind == {"post_void": 1}
    assert once.missing.examples == [post_void]


def test_changed_quantity_is_a_quantity_mismatch(run_dir: Path) -> None:
    def more(lines: pd.DataFrame) -> pd.DataFrame:
        lines.loc[10, "quantity"] += 1
        return lines

    edit(run_dir, "erp/document_lines", more)

    once = reports.verify(run_dir).exactly_once

    assert once.mismatched_quantity.count == 1
    assert once.mismatched.count == 1


def test_lines_merged_per_sku_still_match(run_dir: Path) -> None:
    def split(lines: pd.DataFrame) -> pd.DataFrame:
        row = lines[(lines["quantity"] >= 2) & (lines["discount_minor"] == 0)].iloc[[0]].copy()
        lines.loc[row.index, "quantity"] -= 1
        row["quantity"] = 1
        row["tax_minor"] = 0
        lines.loc[row.index, "tax_minor"] = lines.loc[row.index, "tax_minor"]
        return pd.concat([lines, row.assign(line_no=99, tax_minor=0)], ignore_index=True)

    edit(run_dir, "erp/document_lines", split)

    once = reports.verify(run_dir).exactly_once

    assert once.mismatched_quantity.count == 0
    assert once.mismatched_amount.count == 0


def test_unexpected_late_and_draft_documents(run_dir: Path, truth: Truth) -> None:
    docs = read(run_dir, "erp/documents")
    stranger = docs.iloc[[0]].assign(document_id="X1", external_document_number="NOT-A-SALE")
    docs.loc[3, "committed_t"] = truth.traffic_end_t + 301.0
    docs.loc[7, "status"] = "Draft"
    late, draft = docs.loc[3, "external_document_number"], docs.loc[7, "external_document_number"]
    edit(run_dir, "erp/documents", lambda _: pd.concat([docs, stranger], ignore_index=True))

    verdict = reports.verify(run_dir)

    once = verdict.exactly_once
    assert once.unexpected.count == 1
    assert once.unexpected.examples == ["NOT-A-SALE (X1)"]
    assert once.late.examples == [late]
    assert once.deadline_t == truth.traffic_end_t + 300
    assert once.missing.examples == [draft]
    assert once.unposted.examples == [draft]
    assert any(
        line.startswith("unposted: of the missing, 1 transaction reached the ERP only as a draft")
        for line in verdict.diagnosis
    )
    assert verdict.sync_latency.sim is not None
    assert verdict.sync_latency.sim.max > 300


def test_sales_the_pos_never_got_are_told_apart(run_dir: Path) -> None:
    lost = list(read(run_dir, "erp/documents")["external_document_number"].iloc[[4, 9]])
    edit(run_dir, "erp/documents", lambda d: d[~d["external_document_number"].isin(lost)])
    edit(run_dir, "pos/orders", lambda o: o[o["reference_id"] != lost[0]])

    verdict = reports.verify(run_dir)

    once = verdict.exactly_once
    assert once.missing.count == 2
    assert once.not_at_pos.examples == [lost[0]]
    assert verdict.findings == ["missing", "not_at_the_pos"]
    assert verdict.diagnosis[1] == (
        "not at the POS: 1 transaction never reached the POS's orders (the driver or the POS "
        f"lost them; no connector could post them), e.g. {lost[0]}"
    )
