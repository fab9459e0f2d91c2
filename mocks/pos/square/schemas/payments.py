"""Request schemas of the Payments and Refunds APIs."""

from __future__ import annotations

from mocks.pos.square.schemas.common import (
    S40,
    S45R,
    S50R,
    S191,
    S192,
    S192R,
    S255,
    S255R,
    S500,
    Model,
    Money,
)


class CashDetails(Model):
    buyer_supplied_money: Money
    change_back_money: Money | None = None


class ExternalDetails(Model):
    type: S50R
    source: S255R
    source_id: S255 | None = None


class CreatePaymentRequest(Model):
    source_id: S192R
    idempotency_key: S45R
    amount_money: Money
    tip_money: Money | None = None
    autocomplete: bool | None = None
    order_id: S192R | None = None
    customer_id: S191 | None = None
    location_id: S50R | None = None
    reference_id: S40 | None = None
    note: S500 | None = None
    cash_details: CashDetails | None = None
    external_details: ExternalDetails | None = None


class RefundPaymentRequest(Model):
    idempotency_key: S192R
    amount_money: Money
    payment_id: S192R | None = None
    unlinked: bool | None = None
    location_id: S50R | None = None
    reason: S192 | None = None
