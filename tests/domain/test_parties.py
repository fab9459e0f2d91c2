"""Stores, registers, cashiers and customers."""

from __future__ import annotations

import pytest

from domain import Cashier, Customer, InvariantError, Register, Store


def make_store(**changes: object) -> Store:
    fields: dict[str, object] = {
        "store_id": "S001",
        "name": "Main Street",
        "address": "1 Main St, Springfield",
        "timezone": "America/Chicago",
        "size_class": "supermarket",
        "size_factor": 1.25,
    }
    fields.update(changes)
    return Store(**fields)  # type: ignore[arg-type]


def test_store() -> None:
    store = make_store()
    assert store.zone.key == "America/Chicago"
    assert store.size_factor == 1.25


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"store_id": ""}, "Store.store_id: must be 1–64 characters without surrounding "
         "whitespace, got ''"),
        ({"timezone": "Mars/Base"}, "Store.timezone: must be an IANA time-zone name like "
         "'Europe/Paris', got 'Mars/Base'"),
        ({"size_factor": 0}, "Store.size_factor: must be a finite number > 0, got 0"),
        ({"size_factor": float("nan")}, "Store.size_factor: must be a finite number > 0, "
         "got nan"),
        ({"name": "  "}, "Store.name: must be non-blank text, got '  '"),
    ],
)  # fmt: skip
def test_store_invariants(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvariantError) as caught:
        make_store(**changes)
    assert str(caught.value) == message


def test_register_kinds() -> None:
    assert Register("R1", "S001", "staffed").kind == "staffed"
    assert Register("R2", "S001", "self_checkout").kind == "self_checkout"
    with pytest.raises(InvariantError) as caught:
        Register("R3", "S001", "drive_thru")  # type: ignore[arg-type]
    assert str(caught.value) == (
        "Register.kind: must be 'staffed' or 'self_checkout', got 'drive_thru'"
    )


def test_cashier() -> None:
    assert Cashier("C1", "S001", "Ada").name == "Ada"
    with pytest.raises(InvariantError, match=r"^Cashier.store_id: must be a string id, got None$"):
        Cashier("C1", None, "Ada")  # type: ignore[arg-type]


def test_customer() -> None:
    assert Customer("CU1", "Ada Lovelace", "ada@example.com", "L-1").loyalty_id == "L-1"
    assert Customer("CU2", "Anon").email is None
    with pytest.raises(InvariantError) as caught:
        Customer("CU3", "Bob", "bob-at-example")
    assert str(caught.value) == (
        "Customer.email: must look like name@example.com or be None, got 'bob-at-example'"
    )
