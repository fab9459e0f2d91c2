"""SKU and GTIN (EAN-13) identifiers."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import Gtin, InvariantError, Sku, gtin_check_digit

# Published EAN-13 examples: GS1's 4006381333931, the GS1 "590123412345" body,
# an ISBN-13 (978-0-306-40615-7) and a UPC-A (036000291452) written as EAN-13.
VALID_GTINS = ["4006381333931", "5901234123457", "9780306406157", "0036000291452"]


@pytest.mark.parametrize("code", VALID_GTINS)
def test_known_gtins_are_valid(code: str) -> None:
    gtin = Gtin(code)
    assert gtin == code
    assert isinstance(gtin, str)
    assert gtin_check_digit(code[:12]) == int(code[12])


def test_from_body_appends_the_check_digit() -> None:
    assert Gtin.from_body("590123412345") == "5901234123457"
    assert Gtin.from_body("400638133393") == "4006381333931"
    assert repr(Gtin.from_body("400638133393")) == "Gtin('4006381333931')"


@pytest.mark.parametrize("code", VALID_GTINS)
def test_every_single_digit_corruption_is_detected(code: str) -> None:
    for position in range(13):
        for digit in "0123456789":
            if digit == code[position]:
                continue
            corrupted = code[:position] + digit + code[position + 1 :]
            with pytest.raises(InvariantError) as caught:
                Gtin(corrupted)
            assert caught.value.field == "Gtin"
            assert caught.value.value == corrupted


@given(st.from_regex(r"[0-9]{12}", fullmatch=True), st.integers(0, 12), st.integers(1, 9))
def test_random_single_digit_corruption_is_detected(body: str, position: int, shift: int) -> None:
    code = Gtin.from_body(body)
    digit = str((int(code[position]) + shift) % 10)
    with pytest.raises(InvariantError):
        Gtin(code[:position] + digit + code[position + 1 :])


def test_wrong_check_digit_message_names_value_and_fix() -> None:
    with pytest.raises(InvariantError) as caught:
        Gtin("4006381333932")
    assert str(caught.value) == (
        "Gtin: has check digit 2 but its first 12 digits need 1, got '4006381333932'; "
        "re-read the barcode or build it with Gtin.from_body()"
    )


@pytest.mark.parametrize("bad", ["400638133393", "40063813339311", "400638133393A", ""])
def test_gtin_must_be_13_digits(bad: str) -> None:
    with pytest.raises(InvariantError) as caught:
        Gtin(bad)
    assert str(caught.value) == f"Gtin: must be exactly 13 digits, got {bad!r}"


def test_check_digit_needs_a_12_digit_body() -> None:
    with pytest.raises(InvariantError) as caught:
        gtin_check_digit("12345")
    assert str(caught.value) == "Gtin.body: must be exactly 12 digits, got '12345'"


@pytest.mark.parametrize("good", ["A", "APL-001", "sku_1.2", "x" * 40])
def test_valid_skus(good: str) -> None:
    assert Sku(good) == good
    assert repr(Sku(good)) == f"Sku({good!r})"


@pytest.mark.parametrize("bad", ["", "x" * 41, "has space", "semi;colon", "é"])
def test_invalid_skus_are_refused(bad: str) -> None:
    with pytest.raises(InvariantError) as caught:
        Sku(bad)
    assert str(caught.value) == f"Sku: must be 1–40 characters of [A-Za-z0-9._-], got {bad!r}"


def test_ids_pickle_and_hash_as_strings() -> None:
    sku, gtin = Sku("APL-1"), Gtin("4006381333931")
    assert pickle.loads(pickle.dumps(sku)) == sku
    assert type(pickle.loads(pickle.dumps(gtin))) is Gtin
    assert {"APL-1": 1}[sku] == 1
