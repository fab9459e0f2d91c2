"""ERP documents under no POS transaction's reference: the same sale under another reference
(posted twice, or only there) or unexpected, each with its own finding and objective."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

import reports
from reports import OtherReference
from tests.reports.verify_support import Truth, copy_document, edit, read


def _failed(verdict: reports.Verdict) -> list[str]:
    return [slo.name for slo in verdict.slos if not slo.passed]


def _document_id(path: Path, reference: str) -> str:
    docs = read(path, "erp/documents")
    return str(docs.loc[docs["external_document_number"] == reference, "document_id"].iat[0])


def _sale(truth: Truth, index: int = 0) -> str:
    return [txn for txn, kind in truth.kinds.items() if kind == "sale"][index]


def _largest_sale(path: Path, truth: Truth) -> str:
    """The sale with the most lines: no other basket holds the same."""
    docs = read(path, "erp/documents")
    lines = read(path, "erp/document_lines")
    counts = lines.groupby("document_id").size()
    sales = docs[docs["external_document_number"].map(truth.kinds) == "sale"]
    best = sales.loc[sales["document_id"].map(counts).idxmax()]
    return str(best["external_document_number"])


def _same_content(path: Path) -> list[str]:
    """External numbers of the largest group of documents with the same store, kind,
    amounts and lines (single-item baskets repeat)."""
    docs = read(path, "erp/documents")
    lines = read(path, "erp/document_lines")
    lines["item"] = list(
        zip(lines["sku"].astype(str), lines["quantity"], lines["unit_price_minor"], strict=True)
    )
    content = lines.groupby("document_id")["item"].agg(lambda items: tuple(sorted(items)))
    docs["content"] = docs["document_id"].map(content)
    keys = ["store_id", "kind", "total_minor", "tax_minor", "content"]
    groups = docs.groupby(keys, observed=True)["external_document_number"].agg(list)
    return sorted(max(groups, key=len))


def test_a_sale_posted_again_under_ref_r_is_posted_twice(run_dir: Path, truth: Truth) -> None:
    sale = _sale(truth, 5)
    copy_document(run_dir, sale, reference=f"{sale}-R", document_id="AGAIN")

    verdict = reports.verify(run_dir)

    once = verdict.exactly_once
    assert once.reposted.count == once.duplicated.count == 1
    assert once.reposted.examples == [sale]
    assert once.reposted_as == [OtherReference(sale, f"{sale}-R", "AGAIN")]
    assert once.extra_documents == 1
    assert once.duplicated_by_reference.count == 0
    assert once.unexpected.count == once.missing.count == 0
    assert _failed(verdict) == ["duplicates"]
    assert verdict.findings == ["posted_twice_under_another_reference"]
    assert verdict.diagnosis == [
        "posted twice under another reference: 1 transaction posted again under another "
        "external document number (same store, kind, amounts and lines; counted in "
        f"duplicated), e.g. {sale} as {sale}-R"
    ]


def test_a_sale_only_under_another_reference_is_missing_and_named(
    run_dir: Path, truth: Truth
) -> None:
    sale = _sale(truth, 7)
    edit(
        run_dir,
        "erp/documents",
        lambda d: d.replace({"external_document_number": {sale: f"{sale}-R"}}),
    )

    verdict = reports.verify(run_dir)

    once = verdict.exactly_once
    assert once.missing.examples == [sale]
    assert once.misreferenced.examples == [sale]
    assert once.misreferenced_as[0].reference == f"{sale}-R"
    assert once.duplicated.count == once.unexpected.count == 0
    assert _failed(verdict) == ["missing"]
    assert verdict.findings == ["missing", "posted_under_another_reference"]
    assert verdict.diagnosis[1] == (
        "posted under another reference: of the missing, 1 transaction the ERP holds only "
        "under another external document number (same store, kind, amounts and lines), "
        f"e.g. {sale} as {sale}-R"
    )


def test_an_invoice_for_nothing_is_unexpected_and_fails_its_objective(
    run_dir: Path, truth: Truth
) -> None:
    sale = _sale(truth, 3)
    copy_document(run_dir, sale, reference="TEST-1", document_id="X1")

    def seven_times(lines: pd.DataFrame) -> pd.DataFrame:
        lines.loc[lines["document_id"] == "X1", "quantity"] *= 7
        return lines

    edit(run_dir, "erp/document_lines", seven_times)

    verdict = reports.verify(run_dir)

    once = verdict.exactly_once
    assert once.unexpected.count == 1
    assert once.unexpected.examples == ["TEST-1 (X1)"]
    assert once.unexpected.by_kind == {"invoice": 1}
    assert once.duplicated.count == once.missing.count == 0
    assert _failed(verdict) == ["unexpected"]
    assert not verdict.passed
    unexpected = next(s for s in verdict.slos if s.name == "unexpected")
    assert unexpected.detail == (
        "1 ERP document matching no POS transaction, 1 over the limit of 0"
    )
    assert verdict.findings == ["unexpected"]
    assert verdict.diagnosis == [
        "unexpected: 1 ERP document (1 invoice) matching no POS transaction by reference or "
        "content, e.g. TEST-1 (X1)"
    ]


def test_five_extra_invoices_fail_a_passing_run(run_dir: Path, truth: Truth) -> None:
    assert reports.verify(run_dir).passed
    docs = read(run_dir, "erp/documents")
    extra = docs[docs["kind"] == "invoice"].head(5).copy()
    extra["document_id"] = [f"EXTRA{i}" for i in range(5)]
    extra["external_document_number"] = [f"EXTRA-{i}" for i in range(5)]
    edit(run_dir, "erp/documents", lambda d: pd.concat([d, extra], ignore_index=True))

    verdict = reports.verify(run_dir)

    assert verdict.exit_code == 1
    assert verdict.exactly_once.unexpected.count == 5, "no lines: no content of any sale"


def test_the_same_content_at_another_store_is_not_that_sale(run_dir: Path, truth: Truth) -> None:
    sale = _largest_sale(run_dir, truth)
    copy_document(run_dir, sale, reference=f"{sale}-R", document_id="AGAIN")
    docs = read(run_dir, "erp/documents")
    store = docs.loc[docs["document_id"] == "AGAIN", "store_id"].iat[0]
    other = next(s for s in docs["store_id"].astype(str).unique() if s != store)
    edit(
        run_dir,
        "erp/documents",
        lambda d: d.assign(store_id=d["store_id"].mask(d["document_id"] == "AGAIN", other)),
    )

    once = reports.verify(run_dir).exactly_once

    assert once.reposted.count == 0
    assert once.unexpected.examples == [f"{sale}-R (AGAIN)"]


def test_among_identical_baskets_the_one_the_reference_names_is_taken(run_dir: Path) -> None:
    same = _same_content(run_dir)
    assert len(same) >= 3, "the seeded run repeats a single-item basket"
    first, named = same[0], same[-1]
    copy_document(run_dir, first, reference=f"{named}-R", document_id="AGAIN")

    once = reports.verify(run_dir).exactly_once

    assert once.reposted_as == [OtherReference(named, f"{named}-R", "AGAIN")]


def test_among_identical_baskets_a_missing_one_is_taken_first(run_dir: Path) -> None:
    same = _same_content(run_dir)
    first, lost = same[0], same[1]
    edit(run_dir, "erp/documents", lambda d: d[d["external_document_number"] != lost])
    copy_document(run_dir, first, reference="RETRY-0001", document_id="AGAIN")

    once = reports.verify(run_dir).exactly_once

    assert once.misreferenced_as == [OtherReference(lost, "RETRY-0001", "AGAIN")]
    assert once.reposted.count == once.unexpected.count == 0
    assert once.missing.examples == [lost]


def test_two_reposts_of_one_sale_count_two_extra_documents(run_dir: Path, truth: Truth) -> None:
    sale = _sale(truth, 9)
    copy_document(run_dir, sale, reference=f"{sale}-R", document_id="AGAIN1")
    copy_document(run_dir, sale, reference=f"{sale}-R2", document_id="AGAIN2", later_s=60.0)
    original = _document_id(run_dir, sale)

    once = reports.verify(run_dir).exactly_once

    assert original != "AGAIN1"
    assert once.duplicated.count == once.reposted.count == 1
    assert once.extra_documents == once.reposted_documents == 2


def test_the_console_verdict_names_both_references(run_dir: Path, truth: Truth) -> None:
    from rich.console import Console

    sale = _sale(truth, 5)
    copy_document(run_dir, sale, reference=f"{sale}-R", document_id="AGAIN")
    console = Console(record=True, width=250)

    reports.verify(run_dir).render(console)

    text = console.export_text()
    table = text[text.index("Exactly once") :]
    row = next(line for line in table.splitlines() if "posted twice under another" in line)
    assert f"{sale} as {sale}-R" in row
    assert "│ 1 " in row


def test_the_scenarios_unexpected_allowance_is_honoured(run_dir: Path, truth: Truth) -> None:
    copy_document(run_dir, _sale(truth, 3), reference="TEST-1", document_id="X1")
    edit(
        run_dir,
        "erp/document_lines",
        lambda lines: lines.assign(
            quantity=lines["quantity"].where(lines["document_id"] != "X1", lines["quantity"] * 7)
        ),
    )
    assert not reports.verify(run_dir).passed
    path = run_dir / "scenario.yaml"
    scenario = yaml.safe_load(path.read_text())
    scenario.setdefault("slo", {})["unexpected"] = 1
    path.write_text(yaml.safe_dump(scenario))
    verdict = reports.verify(run_dir)
    assert verdict.exactly_once.unexpected.count == 1
    assert "unexpected" not in _failed(verdict)
    assert verdict.passed
