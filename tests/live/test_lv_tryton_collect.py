"""Tryton's POS sales and stock moves as the run tables verification reads (no Tryton)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

import reports
from domain.rundir import LIVE_TABLES
from reports._exactly_once import check
from reports._numbers import duplicate_numbers
from tillbench.live.clock import RunClock
from tillbench.live.faults import NOT_APPLICABLE, plan_faults
from tillbench.live.tryton import TrytonSide, check_erp
from tillbench.live.tryton_collect import move_documents, sale_documents

CLOCK = RunClock(wall_origin=1_700_000_000.0, speed=60.0)
POSTED = dt.datetime.fromtimestamp(1_700_000_010.0, tz=dt.UTC)


def _sale(
    sale_id: int, reference: str, lines: list[tuple[str, str, str, str]], **extra: object
) -> dict[str, object]:
    return {
        "id": sale_id,
        "number": f"POS{sale_id}",
        "pos_reference": reference,
        "store_id": "S0001",
        "state": "posted",
        "create_date": POSTED - dt.timedelta(seconds=2),
        "write_date": POSTED,
        "lines": [
            {
                "sku": sku,
                "quantity": Decimal(q),
                "unit_list_price": Decimal(net),
                "unit_gross_price": Decimal(gross),
            }
            for sku, q, net, gross in lines
        ],
        **extra,
    }


def test_a_sale_is_an_invoice_with_tryton_amounts_and_number() -> None:
    sale = _sale(7, "T1", [("A", "3", "1.9900", "2.1592"), ("B", "1", "5.0000", "5.4250")])

    docs, lines = sale_documents([sale], clock=CLOCK, exponent=2, currency="USD")

    (doc,) = docs
    # A: net round(5.97)=597, gross round(6.4776)=648; B: net 500, gross round(5.425)=542
    assert doc["kind"] == "invoice"
    assert (doc["number"], doc["external_document_number"]) == ("POS7", "T1")
    assert (doc["total_minor"], doc["tax_minor"]) == (648 + 542, 51 + 42)
    assert doc["status"] == "Posted"
    assert doc["committed_t"] == pytest.approx(10.0 * 60)
    assert [(x["sku"], x["quantity"], x["tax_minor"]) for x in lines] == [
        ("A", 3.0, 51),
        ("B", 1.0, 42),
    ]
    for line in lines:
        net = round(line["quantity"] * line["unit_price_minor"]) - line["discount_minor"]
        assert net in (597, 500)


def test_a_return_is_a_credit_memo_with_positive_amounts() -> None:
    sale = _sale(8, "R1", [("A", "-2", "1.9900", "2.1592")])

    docs, lines = sale_documents([sale], clock=CLOCK, exponent=2, currency="USD")

    assert docs[0]["kind"] == "credit_memo"
    assert (docs[0]["total_minor"], docs[0]["tax_minor"]) == (432, 34)
    assert lines[0]["quantity"] == 2.0
    assert round(2 * lines[0]["unit_price_minor"]) - lines[0]["discount_minor"] == 398


@pytest.mark.parametrize("state", ["open", "done", "cancelled"])
def test_only_a_posted_sale_counts_as_posted(state: str) -> None:
    docs, _ = sale_documents(
        [_sale(9, "T2", [("A", "1", "1", "1")], state=state)],
        clock=CLOCK,
        exponent=2,
        currency="USD",
    )

    assert docs[0]["status"] == "Draft"


def test_stock_moves_are_journal_lines_without_a_number() -> None:
    move = {
        "id": 3,
        "pos_reference": "adj-1",
        "store_id": "S0001",
        "sku": "A",
        "quantity": Decimal("-4"),
        "state": "done",
        "write_date": POSTED,
    }

    docs, lines = move_documents([move], clock=CLOCK)

    assert docs[0]["kind"] == "journal"
    assert docs[0]["number"] is None
    assert lines[0]["quantity"] == -4.0


def test_the_rows_fit_the_tables_and_verification_matches_them() -> None:
    sales = [
        _sale(1, "T1", [("A", "2", "1.0000", "1.0800")]),
        _sale(2, "T2", [("A", "1", "1.0000", "1.0800")], number="POS1"),
        _sale(3, "R1", [("A", "-1", "1.0000", "1.0800")]),
    ]
    docs, lines = sale_documents(sales, clock=CLOCK, exponent=2, currency="USD")
    documents = pa.Table.from_pylist(docs, schema=LIVE_TABLES["erp/documents"])
    document_lines = pa.Table.from_pylist(lines, schema=LIVE_TABLES["erp/document_lines"])
    truth = pa.table(
        {
            "txn_id": ["T1", "T2", "R1"],
            "kind": ["sale", "sale", "return"],
            "t": [1.0, 2.0, 3.0],
            "total_minor": [216, 108, 108],
            "tax_minor": [16, 8, 8],
            "original_txn_id": pa.array([None, None, "T1"], pa.string()),
        }
    )
    truth_lines = pa.table(
        {
            "txn_id": ["T1", "T2", "R1"],
            "line_no": [1, 1, 1],
            "sku": ["A", "A", "A"],
            "quantity": [2, 1, 1],
            "unit_price_minor": [100, 100, 100],
            "net_minor": [200, 100, 100],
            "voided": [False, False, False],
            "t": [1.0, 2.0, 3.0],
        }
    )

    once, _ = check(
        truth,
        truth_lines,
        documents,
        document_lines,
        tax_rates=None,
        tenders=None,
        deadline_t=None,
    )
    shared = duplicate_numbers(documents)

    assert once.missing.count == once.duplicated.count == once.mismatched.count == 0
    assert shared is not None
    assert shared.numbers == 1
    assert shared.examples == [reports.SharedNumber("POS1", ["T1", "T2"])]


def test_erp_option_checks() -> None:
    assert check_erp("Tryton", None) == "tryton"
    assert check_erp("mock", None) == "mock"
    with pytest.raises(Exception, match="--erp: expected one of mock, tryton"):
        check_erp("odoo", None)
    with pytest.raises(Exception, match="use it with --erp tryton"):
        check_erp("mock", "postgresql://x@127.0.0.1/db")
    with pytest.raises(Exception, match="PostgreSQL URL"):
        check_erp("tryton", "sqlite:///x.db")


def test_erp_faults_are_not_applicable_to_a_real_erp(tmp_path: Path) -> None:
    import scenarios

    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\nextends: demo\nduration: 15m\nfaults:\n"
        '  - {at: "11:03", for: 2m, target: erp, kind: outage}\n'
        '  - {at: "11:06", for: 3m, target: "store:1", kind: offline}\n'
        '  - {at: "11:07", for: 1m, target: pos, kind: errors, rate: 0.5}\n'
    )
    scenario = scenarios.load(str(path))

    mock = plan_faults(scenario, speed=60.0)
    real = plan_faults(scenario, speed=60.0, mock_erp=False)

    assert [f.applied_by for f in mock.faults] == ["erp", "driver", "pos"]
    assert [f.applied_by for f in real.faults] == [NOT_APPLICABLE, "driver", "pos"]
    assert [f.target for f in real.timeline()] == ["store:1", "pos"]
    assert [f.target for f in real.not_applicable()] == ["erp"]
    assert [f.target for f in real.mock_faults()] == ["pos"]


def test_connector_environment_names_the_tryton_login() -> None:
    side = TrytonSide(
        url="http://127.0.0.1:8123/tillbench/",
        user="admin",
        password="pw",
        company_id=1,
        database_kind="sqlite",
        database="/runs/x/erp",
        cache_hit=True,
        log_path=Path("/runs/x/erp/trytond.log"),
    )

    env = side.connector_env()

    assert env == {
        "TILLBENCH_ERP_KIND": "tryton",
        "TILLBENCH_ERP_URL": "http://127.0.0.1:8123/tillbench/",
        "TILLBENCH_ERP_TOKEN": "admin:pw",
        "TILLBENCH_ERP_COMPANY": "1",
    }
    assert "pw" not in str(side.describe())


def test_the_documents_totals_are_trytons_own() -> None:
    sale = _sale(
        4,
        "R2",
        [("A", "-1", "1.0000", "1.0800")],
        total=Decimal("-1.09"),
        total_tax=Decimal("-0.09"),
    )

    docs, lines = sale_documents([sale], clock=CLOCK, exponent=2, currency="USD")

    assert (docs[0]["total_minor"], docs[0]["tax_minor"]) == (109, 9)
    assert lines[0]["tax_minor"] == 8
