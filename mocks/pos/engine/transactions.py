"""What the simulator's driver sends: register transactions as they happened at the till.

A plain data model (no HTTP): sale, return, cancel (abandoned before completion) and
post-void (a completed sale voided afterwards), with the original completion time, store
and register. Amounts are integers in minor units; quantities decimal strings. `txn_id` is
the simulator's id, so replaying a transaction is recognised and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

Amount = Annotated[int, Field(ge=0, le=10**12)]
Key = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")]
Quantity = Annotated[
    str, StringConstraints(min_length=1, max_length=20, pattern=r"^\d+(\.\d{1,5})?$")
]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Text = Annotated[str, StringConstraints(max_length=500)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Line(_Model):
    """A sold (or returned) line: quantity × unit price − discount, plus tax (minor units)."""

    line_no: int = Field(ge=1, le=10_000)
    sku: Key
    name: Text = ""
    quantity: Quantity
    unit_price: Amount
    discount: Amount = 0
    tax: Amount = 0
    net: Amount | None = None
    """quantity × unit_price − discount as the till rounded it; computed half-up if absent."""
    tax_rate: Annotated[str, StringConstraints(pattern=r"^\d{1,3}(\.\d{1,6})?$")] = "0"
    voided: bool = False
    original_txn_id: Key | None = None
    original_line_no: int | None = Field(None, ge=1, le=10_000)


class Tender(_Model):
    """How (part of) the total was paid or refunded."""

    kind: Literal["card", "cash", "mobile", "other"]
    amount: Amount
    brand: Annotated[str, StringConstraints(max_length=30)] = "VISA"
    last4: Annotated[str, StringConstraints(pattern=r"^\d{4}$")] = "0000"
    tendered: Amount | None = None
    change: Amount = 0
    wallet: Annotated[str, StringConstraints(max_length=30)] = "APPLE_PAY"
    other_kind: Annotated[str, StringConstraints(max_length=50)] = "OTHER"


def check_year(moment: datetime) -> datetime:
    if not 1971 <= moment.year <= 9998:
        raise ValueError(f"year must be between 1971 and 9998, got {moment.year}")
    return moment


class Transaction(_Model):
    """One register transaction."""

    kind: Literal["sale", "return", "cancel", "post_void"]
    txn_id: Key
    store_id: Annotated[
        str, StringConstraints(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    ]
    register_id: Key
    cashier_id: Key | None = None
    customer_id: Key | None = None
    completed_at: Annotated[AwareDatetime, AfterValidator(check_year)]
    currency: Currency = "USD"
    lines: list[Line] = Field(default_factory=list, max_length=1000)
    tenders: list[Tender] = Field(default_factory=list, max_length=50)
    voided_txn_id: Key | None = None
    receipted: bool = True
    note: Annotated[str, StringConstraints(max_length=2000)] = ""

    @property
    def moment(self) -> datetime:
        """Completion time."""
        return self.completed_at


class Batch(_Model):
    """A batch of transactions (the driver replays thousands)."""

    transactions: list[Transaction] = Field(min_length=1)
