"""What happens at the till: ``basket``, ``payments``, ``returns``, ``voids`` and
``data_quality`` sections."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from pydantic import Field, model_validator

from ._base import Section, Share, issues_error, shares_issue
from ._duration import NonNegativeDuration, PositiveDuration
from ._limits import MAX_BASKET_MEDIAN, MAX_ITEMS, MAX_SIGMA

__all__ = [
    "Basket",
    "BasketItems",
    "CardBrands",
    "DataQuality",
    "PaymentMix",
    "Payments",
    "Promotions",
    "Quantity",
    "Returns",
    "Service",
    "Voids",
]


class BasketItems(Section):
    """Distinct lines per basket: Poisson whose mean is itself lognormal.

    REFERENCE (Retail traffic, basket size): Poisson-lognormal; the most common basket is
    1 item; half of supermarket trips are 5 items or fewer.
    """

    median: float = Field(default=4.0, gt=0.0, le=MAX_BASKET_MEDIAN)
    sigma: float = Field(default=1.0, ge=0.0, le=MAX_SIGMA)


class Quantity(Section):
    """Units per line."""

    multi_unit_share: Share = 0.12
    """Share of lines with more than one unit."""
    max: int = Field(default=6, ge=1, le=MAX_ITEMS)


class Promotions(Section):
    """Price promotions on lines."""

    share: Share = 0.15
    """Share of lines that carry a promotion."""
    discount: Share = 0.20
    """Discount as a fraction of the unit price."""


class Service(Section):
    """Time at the lane."""

    # REFERENCE (Retail traffic): checkout ≈ 40 s fixed + 3 s per item (about 21 scans/min).
    fixed: NonNegativeDuration = timedelta(seconds=40)
    per_item: NonNegativeDuration = timedelta(seconds=3)
    distribution: Literal["deterministic", "exponential"] = "deterministic"


class Basket(Section):
    """What a customer buys and how long the checkout takes."""

    items: BasketItems = BasketItems()
    max_items: int = Field(default=200, ge=1, le=MAX_ITEMS)
    quantity: Quantity = Quantity()
    promotions: Promotions = Promotions()
    service: Service = Service()
    # REFERENCE (Retail traffic): 30% of transactions at self-checkout.
    self_checkout_share: Share = 0.30


class PaymentMix(Section):
    """Share of transactions by tender; unnamed tenders are 0; shares sum to 1."""

    # REFERENCE (Retail traffic, payment mix by count): credit 32%, debit 30%, cash 16%,
    # "rest mobile and other" (the 20/2 split of the remaining 22% is ours).
    credit: Share = 0.0
    debit: Share = 0.0
    cash: Share = 0.0
    mobile: Share = 0.0
    other: Share = 0.0

    @model_validator(mode="after")
    def _sum_to_one(self) -> PaymentMix:
        issue = shares_issue(self.model_dump())
        if issue is not None:
            raise issues_error([issue])
        return self


class CardBrands(Section):
    """Share of card payments by brand; unnamed brands are 0; shares sum to 1."""

    # US card-brand split by purchase count (illustrative; not in REFERENCE).
    visa: Share = 0.0
    mastercard: Share = 0.0
    amex: Share = 0.0
    discover: Share = 0.0

    @model_validator(mode="after")
    def _sum_to_one(self) -> CardBrands:
        issue = shares_issue(self.model_dump())
        if issue is not None:
            raise issues_error([issue])
        return self


class Payments(Section):
    """How customers pay."""

    mix: PaymentMix = PaymentMix(credit=0.32, debit=0.30, cash=0.16, mobile=0.20, other=0.02)
    card_brands: CardBrands = CardBrands(visa=0.52, mastercard=0.30, amex=0.11, discover=0.07)
    loyalty_share: Share = 0.35
    """Share of transactions that identify a loyalty customer."""


class Returns(Section):
    """Customer returns. ``returns: 0.08`` in YAML is short for ``{rate: 0.08}``."""

    # REFERENCE (Retail traffic, returns): 14.5% of sales value overall, brick-and-mortar
    # about 10%; by count we use 5% for grocery.
    rate: Share = 0.05
    """Share of transactions that are returns."""
    # REFERENCE (Retail traffic, returns): 84% receipted.
    receipted: Share = 0.84
    window: PositiveDuration = timedelta(days=30)
    """How long after a sale its items may come back."""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return {"rate": data}
        return data


class Voids(Section):
    """Voids per transaction (REFERENCE: no published rate; modelled separately)."""

    line_void: Share = 0.03
    """Share of transactions with a voided line."""
    cancel: Share = 0.004
    """Share of transactions cancelled before completion."""
    post_void: Share = 0.002
    """Share of completed transactions voided afterwards."""


class DataQuality(Section):
    """Dirty data the integration must cope with."""

    card_in_notes: Share = 0.0
    """Share of transactions with a card number typed into a free-text note (PCI test)."""
