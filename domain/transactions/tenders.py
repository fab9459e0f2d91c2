"""Tenders: how a sale was paid or a return refunded (ARTS tender line items).

Like real POS APIs, a card tender carries the brand and the last four digits only: there
is no field that could hold a full card number (PAN).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from domain import _validate
from domain.errors import CurrencyMismatchError, InvariantError
from domain.money import Money

__all__ = [
    "TENDER_TYPES",
    "CardBrand",
    "CardFunding",
    "CardTender",
    "CashTender",
    "MobileTender",
    "OtherTender",
    "Tender",
]

_LAST4 = re.compile(r"[0-9]{4}")


class CardBrand(StrEnum):
    """Card networks, named as Square's ``card_brand`` values."""

    VISA = "VISA"
    MASTERCARD = "MASTERCARD"
    AMERICAN_EXPRESS = "AMERICAN_EXPRESS"
    DISCOVER = "DISCOVER"
    DISCOVER_DINERS = "DISCOVER_DINERS"
    JCB = "JCB"
    CHINA_UNIONPAY = "CHINA_UNIONPAY"
    INTERAC = "INTERAC"
    EFTPOS = "EFTPOS"
    OTHER_BRAND = "OTHER_BRAND"


class CardFunding(StrEnum):
    """Credit or debit (the payment mix in REFERENCE.md counts them apart)."""

    CREDIT = "credit"
    DEBIT = "debit"
    PREPAID = "prepaid"
    UNKNOWN = "unknown"


def _amount(owner: str, value: object) -> Money:
    amount = _validate.instance(f"{owner}.amount", value, Money)
    if amount.amount <= 0:
        raise InvariantError.got(f"{owner}.amount", amount, "must be > 0")
    if not amount.is_quantized():
        raise InvariantError.got(
            f"{owner}.amount", amount, f"must be whole minor units of {amount.currency}"
        )
    return amount


@dataclass(frozen=True, slots=True)
class CardTender:
    """A card payment: brand and last four digits only."""

    amount: Money
    brand: CardBrand
    last4: str
    funding: CardFunding = CardFunding.UNKNOWN

    def __post_init__(self) -> None:
        _amount("CardTender", self.amount)
        if type(self.brand) is not CardBrand:
            try:
                object.__setattr__(self, "brand", CardBrand(self.brand))
            except ValueError:
                raise InvariantError.got(
                    "CardTender.brand", self.brand, f"must be one of {[b.value for b in CardBrand]}"
                ) from None
        if not isinstance(self.last4, str) or _LAST4.fullmatch(self.last4) is None:
            raise InvariantError.got(
                "CardTender.last4",
                "<redacted>" if isinstance(self.last4, str) and len(self.last4) > 4 else self.last4,
                "must be exactly 4 digits",
                "store the last four digits only, never the card number",
            )
        if type(self.funding) is not CardFunding:
            try:
                object.__setattr__(self, "funding", CardFunding(self.funding))
            except ValueError:
                raise InvariantError.got(
                    "CardTender.funding",
                    self.funding,
                    f"must be one of {[f.value for f in CardFunding]}",
                ) from None


@dataclass(frozen=True, slots=True)
class CashTender:
    """Cash: the customer hands over ``tendered`` and gets ``change``; amount = the difference."""

    amount: Money
    tendered: Money
    change: Money

    def __post_init__(self) -> None:
        amount = _amount("CashTender", self.amount)
        for name in ("tendered", "change"):
            money = _validate.instance(f"CashTender.{name}", getattr(self, name), Money)
            if money.currency != amount.currency:
                raise CurrencyMismatchError.got(
                    f"CashTender.{name}", money, f"must be in {amount.currency} like amount"
                )
            if money.amount < 0 or not money.is_quantized():
                raise InvariantError.got(
                    f"CashTender.{name}",
                    money,
                    f"must be >= 0 and in whole minor units of {amount.currency}",
                )
        if self.tendered - self.change != amount:
            raise InvariantError(
                "CashTender.change",
                self.change,
                f"tendered {self.tendered} − change {self.change} must equal amount {amount}",
            )

    @classmethod
    def exact(cls, amount: Money) -> CashTender:
        """Cash handed over to the cent: no change."""
        return cls(amount, amount, Money.zero(amount.currency))


@dataclass(frozen=True, slots=True)
class MobileTender:
    """A mobile wallet payment, e.g. ``wallet="apple_pay"``."""

    amount: Money
    wallet: str

    def __post_init__(self) -> None:
        _amount("MobileTender", self.amount)
        _validate.identifier("MobileTender.wallet", self.wallet)


@dataclass(frozen=True, slots=True)
class OtherTender:
    """Any other tender, e.g. ``kind="gift_card"``, ``"check"``, ``"store_credit"``."""

    amount: Money
    kind: str

    def __post_init__(self) -> None:
        _amount("OtherTender", self.amount)
        _validate.identifier("OtherTender.kind", self.kind)


Tender = CardTender | CashTender | MobileTender | OtherTender
TENDER_TYPES: tuple[type[Tender], ...] = (CardTender, CashTender, MobileTender, OtherTender)
