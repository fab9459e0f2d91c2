"""Fault specifications: validation naming the entry and field, kind aliases."""

from __future__ import annotations

import pytest

from mocks.faults import FaultError, parse_fault


def test_parse_fault_names_the_entry_and_field() -> None:
    with pytest.raises(FaultError, match=r"^faults\[2\]\.rate: .*got 3"):
        parse_fault({"kind": "error", "rate": 3}, where="faults[2]")


def test_parse_fault_requires_kind_specific_fields() -> None:
    with pytest.raises(FaultError, match=r"fault\.latency: a latency fault needs 'latency'"):
        parse_fault({"kind": "latency"}, where="fault")


def test_webhook_prefix_is_accepted() -> None:
    assert parse_fault({"kind": "webhook_duplicate"}).kind.value == "duplicate"
