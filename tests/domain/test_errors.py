"""The domain's error hierarchy and message format."""

from __future__ import annotations

import pickle
from decimal import Decimal

from domain import CurrencyMismatchError, DomainError, InvariantError


def test_hierarchy() -> None:
    assert issubclass(DomainError, ValueError)
    assert issubclass(InvariantError, DomainError)
    assert issubclass(CurrencyMismatchError, InvariantError)


def test_message_names_field_and_value() -> None:
    error = InvariantError.got("SaleLine.quantity", Decimal(-2), "must be > 0")
    assert str(error) == "SaleLine.quantity: must be > 0, got -2"
    assert (error.field, error.value, error.reason) == (
        "SaleLine.quantity",
        Decimal(-2),
        "must be > 0, got -2",
    )


def test_hint_follows_the_value() -> None:
    error = InvariantError.got("Store.timezone", "Mars/Base", "must be an IANA name", "see tzdata")
    assert str(error) == "Store.timezone: must be an IANA name, got 'Mars/Base'; see tzdata"


def test_errors_survive_pickling_for_process_pools() -> None:
    error = CurrencyMismatchError("Money.currency", "EUR", "cannot add")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is CurrencyMismatchError
    assert (copy.field, copy.value, str(copy)) == ("Money.currency", "EUR", str(error))
