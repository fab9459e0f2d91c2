"""Voids, after the ARTS flags: a cancelled sale and a post-voided one.

A line void is not a document: it is a :class:`~domain.transactions.lines.SaleLine` with
``voided=True`` inside a sale, kept on the receipt and left out of the totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from domain import _validate
from domain.errors import InvariantError
from domain.transactions.lines import SaleLine

__all__ = ["Cancel", "PostVoid"]


@dataclass(frozen=True, slots=True)
class Cancel:
    """A sale abandoned before completion (ARTS ``cancelled``): nothing paid, no stock moved."""

    txn_id: str
    store_id: str
    register_id: str
    cashier_id: str
    business_day: date
    started_at: datetime
    cancelled_at: datetime
    lines: Sequence[SaleLine] = ()
    """What had been rung up before the sale was abandoned."""
    reason: str = ""

    def __post_init__(self) -> None:
        _validate.identifier("Cancel.txn_id", self.txn_id)
        _validate.identifier("Cancel.store_id", self.store_id)
        _validate.identifier("Cancel.register_id", self.register_id)
        _validate.identifier("Cancel.cashier_id", self.cashier_id)
        _validate.day("Cancel.business_day", self.business_day)
        _validate.moment("Cancel.started_at", self.started_at)
        _validate.moment("Cancel.cancelled_at", self.cancelled_at)
        _validate.ordered(
            "Cancel.started_at", self.started_at, "Cancel.cancelled_at", self.cancelled_at
        )
        lines = _validate.tuple_of("Cancel.lines", self.lines, SaleLine)
        if not isinstance(self.reason, str):
            raise InvariantError.got("Cancel.reason", self.reason, "must be a string")
        object.__setattr__(self, "lines", lines)


@dataclass(frozen=True, slots=True)
class PostVoid:
    """A completed sale or return voided afterwards (ARTS ``voided``): it must not be booked."""

    txn_id: str
    voided_txn_id: str
    store_id: str
    register_id: str
    cashier_id: str
    business_day: date
    voided_at: datetime
    reason: str = ""

    def __post_init__(self) -> None:
        _validate.identifier("PostVoid.txn_id", self.txn_id)
        _validate.identifier("PostVoid.voided_txn_id", self.voided_txn_id)
        if self.voided_txn_id == self.txn_id:
            raise InvariantError.got(
                "PostVoid.voided_txn_id",
                self.voided_txn_id,
                "must name another transaction than the post-void itself",
            )
        _validate.identifier("PostVoid.store_id", self.store_id)
        _validate.identifier("PostVoid.register_id", self.register_id)
        _validate.identifier("PostVoid.cashier_id", self.cashier_id)
        _validate.day("PostVoid.business_day", self.business_day)
        _validate.moment("PostVoid.voided_at", self.voided_at)
        if not isinstance(self.reason, str):
            raise InvariantError.got("PostVoid.reason", self.reason, "must be a string")
