"""The chain and what it sells: ``chain`` and ``catalog`` sections."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from ._base import Issue, Section, Share, issues_error, shares_issue
from ._clock import HoursRange
from ._limits import (
    MAX_CASHIERS_PER_REGISTER,
    MAX_CATEGORIES,
    MAX_LANES,
    MAX_LIST,
    MAX_LOYALTY_CUSTOMERS,
    MAX_PRICE,
    MAX_SIGMA,
    MAX_SIZE_SPREAD,
    MAX_SKUS,
    MAX_STORES,
    MAX_ZIPF,
)

__all__ = ["Catalog", "Chain", "Popularity", "Price", "TaxClass"]


class Chain(Section):
    """How many stores, how many lanes, when they open."""

    stores: int = Field(default=20, ge=1, le=MAX_STORES)
    """Number of stores in the chain."""
    registers: int = Field(default=8, ge=0, le=MAX_LANES)
    """Staffed lanes of a store of size factor 1.0."""
    self_checkouts: int = Field(default=4, ge=0, le=MAX_LANES)
    """Self-checkout lanes of a store of size factor 1.0."""
    hours: HoursRange = HoursRange.parse("07:00-22:00")
    """Opening hours, the same every day."""
    size_spread: float = Field(default=0.35, ge=0.0, le=MAX_SIZE_SPREAD)
    """Sigma of the lognormal store-size factor (mean 1): lanes and traffic scale with it."""
    cashiers_per_register: float = Field(default=2.5, gt=0.0, le=MAX_CASHIERS_PER_REGISTER)
    """Cashiers on the payroll per staffed register (shifts)."""
    loyalty_customers: int = Field(default=20_000, ge=0, le=MAX_LOYALTY_CUSTOMERS)
    """Size of the loyalty-customer pool for the whole chain."""

    @field_validator("self_checkouts")
    @classmethod
    def _some_lane(cls, self_checkouts: int, info: ValidationInfo) -> int:
        registers = info.data.get("registers")
        if registers is not None and registers + self_checkouts < 1:
            raise issues_error(
                [
                    Issue(
                        (),
                        "registers + self_checkouts must be ≥ 1 (a store needs a lane)",
                        f"{registers} + {self_checkouts}",
                    )
                ]
            )
        return self_checkouts


class Popularity(Section):
    """How sales spread over SKUs."""

    # REFERENCE (Retail traffic, SKU popularity): the top ~1,000 of ~30,000 items make half
    # the revenue, a Zipf exponent of about 0.85 (derived).
    zipf: float = Field(default=0.85, ge=0.0, le=MAX_ZIPF)
    """Zipf exponent of SKU popularity by rank (0 = uniform)."""


class Price(Section):
    """Lognormal unit prices with psychological endings.

    With the basket defaults the mean ticket is about $45, near REFERENCE's $42 per US
    supermarket transaction (derived by sampling, approximate).
    """

    median: float = Field(default=3.49, gt=0.0, le=MAX_PRICE)
    """Median unit price in the scenario's currency."""
    sigma: float = Field(default=0.9, ge=0.0, le=MAX_SIGMA)
    """Sigma of the lognormal unit price."""
    endings: Annotated[
        tuple[Annotated[float, Field(ge=0.0, lt=1.0)], ...], Field(max_length=MAX_LIST)
    ] = (0.99, 0.49, 0.29, 0.79)
    """Fractional endings prices are snapped to (empty: keep cents as drawn)."""


class TaxClass(Section):
    """A tax rate and the share of SKUs that carry it."""

    rate: Share
    share: Share


def _default_tax_classes() -> dict[str, TaxClass]:
    # Illustrative US sales tax: a general rate, a reduced food rate, exempt items.
    return {
        "standard": TaxClass(rate=0.0825, share=0.55),
        "reduced": TaxClass(rate=0.02, share=0.35),
        "exempt": TaxClass(rate=0.0, share=0.10),
    }


class Catalog(Section):
    """The assortment every store carries."""

    # REFERENCE (Retail traffic): a US supermarket carries about 36,000 items; 5,000 keeps
    # runs fast while the Zipf head still dominates sales.
    skus: int = Field(default=5000, ge=1, le=MAX_SKUS)
    categories: int = Field(default=24, ge=1, le=MAX_CATEGORIES)
    popularity: Popularity = Popularity()
    price: Price = Price()
    margin: float = Field(default=0.30, ge=0.0, lt=1.0)
    """Gross margin: cost = price × (1 − margin)."""
    tax_classes: dict[str, TaxClass] = Field(
        default_factory=_default_tax_classes, max_length=MAX_LIST
    )
    """Tax class name → rate and share of SKUs; shares sum to 1."""
    tax_rounding: Literal["per_document", "per_line"] = "per_document"
    rounding: Literal["half_up", "half_even"] = "half_up"

    @field_validator("tax_classes")
    @classmethod
    def _shares_sum_to_one(cls, classes: dict[str, TaxClass]) -> dict[str, TaxClass]:
        if not classes:
            raise issues_error([Issue((), "needs at least one tax class", "{}")])
        issue = shares_issue({name: tax.share for name, tax in classes.items()})
        if issue is not None:
            raise issues_error([issue])
        return classes
