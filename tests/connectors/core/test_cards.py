"""Card-number scrubbing: Luhn-valid 13–19 digit runs go, everything else stays."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.core.cards import REPLACEMENT, has_card_number, luhn_valid, scrub

VISA = "4111111111111111"
AMEX = "378282246310005"


def luhn_complete(prefix: str) -> str:
    """``prefix`` plus the check digit that makes it Luhn-valid."""
    for digit in "0123456789":
        if luhn_valid(prefix + digit):
            return prefix + digit
    raise AssertionError("unreachable")


@pytest.mark.parametrize(
    "text",
    [
        f"card {VISA} thanks",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        f"amex:{AMEX}.",
        f"{VISA}",
    ],
)
def test_scrub_replaces_card_numbers(text: str) -> None:
    cleaned = scrub(text)
    assert REPLACEMENT in cleaned
    assert not has_card_number(cleaned)
    assert not any(ch.isdigit() for ch in cleaned.replace(REPLACEMENT, ""))


@pytest.mark.parametrize(
    "text",
    [
        "4111111111111112",
        "order 123456789012 for table 4",
        "phone 555-123-4567",
        "41111111111111111111",
        "",
        "no digits at all",
    ],
)
def test_scrub_keeps_other_text(text: str) -> None:
    assert scrub(text) == text


def test_luhn_known_numbers() -> None:
    assert luhn_valid(VISA)
    assert luhn_valid(AMEX)
    assert not luhn_valid("4111111111111112")


@given(
    prefix=st.text(alphabet="0123456789", min_size=12, max_size=18),
    before=st.text(alphabet="abc ,.", max_size=20),
    after=st.text(alphabet="abc ,.", max_size=20),
)
def test_any_luhn_valid_number_in_text_is_removed(prefix: str, before: str, after: str) -> None:
    number = luhn_complete(prefix)
    cleaned = scrub(f"{before}{number}{after}")
    assert number not in cleaned
    assert cleaned == f"{before}{REPLACEMENT}{after}"
