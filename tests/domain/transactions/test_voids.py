"""Cancels (sale abandoned before completion) and post-voids."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from domain import Cancel, InvariantError, PostVoid, SaleLine

DAY = date(2026, 11, 27)


def test_cancel_keeps_what_was_rung_up(line: Callable[..., SaleLine]) -> None:
    cancel = Cancel(
        "T-2", "S001", "R01", "C01", DAY, datetime(2026, 11, 27, 10), datetime(2026, 11, 27, 10, 1),
        [line(1), line(2)], "customer left",
    )  # fmt: skip
    assert cancel.lines == (line(1), line(2))
    assert (
        Cancel("T-3", "S001", "R01", "C01", DAY, cancel.started_at, cancel.started_at).lines == ()
    )


def test_cancel_not_before_start() -> None:
    with pytest.raises(InvariantError) as caught:
        Cancel(
            "T-2", "S001", "R01", "C01", DAY, datetime(2026, 11, 27, 10), datetime(2026, 11, 27, 9)
        )
    assert str(caught.value) == (
        "Cancel.cancelled_at: must not be before Cancel.started_at 2026-11-27T10:00:00, "
        "got 2026-11-27T09:00:00"
    )


def test_post_void() -> None:
    void = PostVoid("T-9", "T-1", "S001", "R01", "C01", DAY, datetime(2026, 11, 27, 11), "wrong")
    assert void.voided_txn_id == "T-1"


def test_post_void_cannot_void_itself() -> None:
    with pytest.raises(InvariantError) as caught:
        PostVoid("T-9", "T-9", "S001", "R01", "C01", DAY, datetime(2026, 11, 27, 11))
    assert str(caught.value) == (
        "PostVoid.voided_txn_id: must name another transaction than the post-void itself, got 'T-9'"
    )


def test_post_void_needs_a_moment() -> None:
    with pytest.raises(InvariantError) as caught:
        PostVoid("T-9", "T-1", "S001", "R01", "C01", DAY, DAY)  # type: ignore[arg-type]
    assert str(caught.value) == ("PostVoid.voided_at: must be a datetime.datetime, got 2026-11-27")
