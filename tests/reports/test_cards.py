"""Card numbers beyond the POS are found, located and never printed whole."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

import reports
from reports._cards import find_pans, luhn, mask
from tests.reports.verify_support import VISA_TEST_PAN, edit

MASTERCARD_TEST_PAN = "5555-5555-5555-4444"


def test_pan_in_erp_description_and_connector_log(run_dir: Path) -> None:
    def note(lines: pd.DataFrame) -> pd.DataFrame:
        lines.loc[12, "description"] = f"note: paid with {VISA_TEST_PAN} thanks"
        return lines

    edit(run_dir, "erp/document_lines", note)
    with (run_dir / "connector" / "connector.log").open("a", encoding="utf-8") as log:
        log.write(f"order note card={MASTERCARD_TEST_PAN}\n")

    verdict = reports.verify(run_dir)

    leaks = verdict.card_leaks
    assert leaks.count == 2
    assert [(leak.where, leak.location, leak.masked) for leak in leaks.findings] == [
        ("connector log", "connector/connector.log line 4", "************4444"),
        ("erp", "erp/document_lines.parquet column description row 12", "************1111"),
    ]
    assert [slo.name for slo in verdict.slos if not slo.passed] == ["card_leaks"]
    assert verdict.exit_code == 1
    assert verdict.findings == ["card_leaks"]
    assert verdict.diagnosis == [
        "card leaks: 2 card numbers found beyond the POS (connector log, erp), "
        "e.g. ************4444 in connector/connector.log line 4"
    ]


def test_card_numbers_are_never_written_or_printed_whole(run_dir: Path) -> None:
    def note(lines: pd.DataFrame) -> pd.DataFrame:
        lines.loc[3, "description"] = VISA_TEST_PAN
        return lines

    edit(run_dir, "erp/document_lines", note)
    console = Console(record=True, width=300)

    reports.verify(run_dir).render(console)

    digits = VISA_TEST_PAN.replace(" ", "")
    for text in (
        console.export_text(),
        (run_dir / "summary.json").read_text(encoding="utf-8"),
        (run_dir / "junit.xml").read_text(encoding="utf-8"),
    ):
        assert digits not in text.replace(" ", "").replace("-", "")
    assert json.loads((run_dir / "summary.json").read_text())["card_leaks"]["count"] == 1


def test_truth_and_pos_may_hold_card_numbers(run_dir: Path) -> None:
    pd.DataFrame({"note": [VISA_TEST_PAN]}).to_parquet(run_dir / "pos" / "webhooks.parquet")

    leaks = reports.verify(run_dir).card_leaks

    assert leaks.count == 0
    assert "pos/webhooks.parquet" not in leaks.scanned
    assert "truth/transactions.parquet" not in leaks.scanned
    assert "erp/document_lines.parquet" in leaks.scanned
    assert "connector/connector.log" in leaks.scanned


def test_other_run_tables_are_scanned(run_dir: Path) -> None:
    (run_dir / "driver").mkdir()
    pd.DataFrame({"txn_id": ["S0001-R01-000001"], "status": [f"note {VISA_TEST_PAN}"]}).to_parquet(
        run_dir / "driver" / "sent.parquet"
    )

    leaks = reports.verify(run_dir).card_leaks

    assert [(leak.where, leak.location) for leak in leaks.findings] == [
        ("table", "driver/sent.parquet column status row 0")
    ]


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("4111111111111111", True),
        ("5555555555554444", True),
        ("378282246310005", True),
        ("4111111111111112", False),
        ("79927398713", True),
    ],
)
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn(digits) is valid


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("card 4111 1111 1111 1111 declined", ["4111111111111111"]),
        ("refund to 4111-1111-1111-1111.", ["4111111111111111"]),
        ("4111111111111111", ["4111111111111111"]),
        ("amex 3782 822463 10005", ["378282246310005"]),
        ("4111 1111 1111 1111 22 items", ["4111111111111111"]),
        ("4111111111111112", []),
        ("411111111111", []),
        ("sha a4111111111111111b", []),
        ("id 123e4567-e89b-12d3", []),
        ("customer 0f1e2d3c-9a8b-7c6d-4111-111111111111", []),
        ("ref 4111-1111-1111-1111-ab12", []),
        ("two spaces 4111  1111 1111 1111", []),
    ],
)
def test_find_pans(text: str, found: list[str]) -> None:
    assert [digits for _, digits in find_pans(text)] == found


def test_mask_keeps_only_the_last_four() -> None:
    assert mask("4111111111111111") == "************1111"


def test_connector_state_is_scanned_by_byte_offset(run_dir: Path) -> None:
    state = run_dir / "connector" / "state"
    state.mkdir()
    (state / "queue.sqlite3").write_bytes(
        b"\x00\x01SQLite" + b"\x00" * 10 + b"4111111111111111\x00"
    )

    leaks = reports.verify(run_dir).card_leaks

    assert [(leak.where, leak.location, leak.masked) for leak in leaks.findings] == [
        ("connector state", "connector/state/queue.sqlite3 byte 18", "************1111")
    ]
