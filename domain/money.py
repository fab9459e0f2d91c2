"""Money: an exact Decimal amount in one ISO 4217 currency, rounded only when asked.

Arithmetic is exact (a 34-digit context that refuses to round silently); ``quantize``
rounds to the currency's minor unit with an explicit :class:`Rounding`. Floats are refused
everywhere. Amounts of different currencies never mix.

Example::

    >>> price = Money.of("3.99", "USD")
    >>> (price * Decimal("0.453")).quantize(Rounding.HALF_UP)
    Money(amount=Decimal('1.81'), currency='USD')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    Overflow,
)
from enum import StrEnum

from domain import _validate
from domain._currency import CURRENCIES, EXPONENTS, QUANTA, ZEROS, Currency
from domain.errors import CurrencyMismatchError, InvariantError

__all__ = [
    "CURRENCIES",
    "Currency",
    "Money",
    "Rounding",
    "round_money",
    "sum_money",
]

PRECISION = 34
"""Significant digits kept by money arithmetic (as IEEE decimal128)."""

_EXACT = Context(prec=PRECISION, traps=[Inexact, InvalidOperation, Overflow])
_ROUND = Context(prec=PRECISION, traps=[InvalidOperation, Overflow])


class Rounding(StrEnum):
    """How a value exactly halfway between two minor units is rounded."""

    HALF_UP = "half_up"
    """Away from zero: 0.125 → 0.13. The usual retail and sales-tax rule."""
    HALF_EVEN = "half_even"
    """To the even neighbour (banker's rounding): 0.125 → 0.12, 0.135 → 0.14."""

    @property
    def mode(self) -> str:
        """The matching :mod:`decimal` rounding constant."""
        return ROUND_HALF_UP if self is Rounding.HALF_UP else ROUND_HALF_EVEN


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount of one currency. Build with :meth:`of`, :meth:`zero`, :meth:`from_minor`.

    ``amount`` may carry more digits than the currency's minor unit (a unit price of 3.999,
    an intermediate product); :meth:`quantize` rounds it, explicitly. Equality is numeric
    (``12.3 USD == 12.30 USD``); ordering raises across currencies.
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if type(self.amount) is not Decimal:
            object.__setattr__(self, "amount", _validate.decimal("Money.amount", self.amount))
        elif not self.amount.is_finite():
            raise InvariantError.got("Money.amount", self.amount, "must be a finite number")
        if not isinstance(self.currency, str) or self.currency not in QUANTA:
            Currency.of(self.currency)

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        """Parse an amount from text, int or Decimal: ``Money.of("12.34", "USD")``."""
        if isinstance(amount, str):
            try:
                parsed = Decimal(amount.strip())
            except InvalidOperation:
                raise InvariantError.got(
                    "Money.amount", amount, "must be a decimal number like '12.34'"
                ) from None
            return cls(parsed, currency)
        return cls(_validate.decimal("Money.amount", amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in ``currency``, written to its minor unit (``0.00 USD``)."""
        zero = ZEROS.get(currency) if isinstance(currency, str) else None
        if zero is None:
            return cls(Decimal(0), currency)  # __post_init__ names the bad code
        return _trusted(zero, currency)

    @classmethod
    def from_minor(cls, units: int, currency: str) -> Money:
        """Build from an integer count of minor units: ``from_minor(1234, "USD")`` → 12.34."""
        if not isinstance(units, int) or isinstance(units, bool):
            raise InvariantError.got("Money.minor_units", units, "must be an int")
        return cls(Decimal(units).scaleb(-Currency.of(currency).exponent), currency)

    @property
    def quantum(self) -> Decimal:
        """One minor unit of this amount's currency."""
        return QUANTA[self.currency]

    def is_quantized(self) -> bool:
        """True when the amount is a whole number of minor units."""
        return self.amount == self.amount.quantize(self.quantum, context=_ROUND)

    def quantize(self, rounding: Rounding) -> Money:
        """Round to the currency's minor unit with ``rounding``."""
        rounded = self.amount.quantize(self.quantum, rounding=rounding.mode, context=_ROUND)
        return _trusted(rounded, self.currency)

    def minor_units(self) -> int:
        """The amount as an integer count of minor units; requires a quantized amount."""
        if not self.is_quantized():
            raise InvariantError.got(
                "Money.amount",
                self,
                f"must be whole minor units of {self.currency}",
                "call .quantize(rounding) first",
            )
        return int(self.amount.scaleb(EXPONENTS[self.currency], context=_ROUND))

    def allocate(self, ratios: Sequence[int | Decimal]) -> list[Money]:
        """Split into parts proportional to ``ratios`` that add up to exactly this amount.

        Largest-remainder method on minor units; ties go to the earlier part. The amount
        must be quantized.

        Example::

            >>> [str(m) for m in Money.of("10.00", "USD").allocate([1, 1, 1])]
            ['3.34 USD', '3.33 USD', '3.33 USD']
        """
        weights = _integer_weights(ratios)
        units = self.minor_units()
        sign, units = (-1, -units) if units < 0 else (1, units)
        total_weight = sum(weights)
        shares = [units * w // total_weight for w in weights]
        leftover = units - sum(shares)
        by_remainder = sorted(
            range(len(weights)), key=lambda i: (-(units * weights[i] % total_weight), i)
        )
        for index in by_remainder[:leftover]:
            shares[index] += 1
        return [Money.from_minor(sign * share, self.currency) for share in shares]

    def _same_currency(self, other: Money, operation: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                "Money.currency",
                other.currency,
                f"cannot {operation} {self} and {other}; convert to one currency first",
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            self._same_currency(other, "add")
        return _trusted(_exact(_EXACT.add, self.amount, other.amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            self._same_currency(other, "subtract")
        return _trusted(_exact(_EXACT.subtract, self.amount, other.amount), self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float):
            raise InvariantError.got(
                "Money.__mul__", factor, "factor must be an int or a Decimal, never a float"
            )
        if not isinstance(factor, int | Decimal) or isinstance(factor, bool):
            return NotImplemented
        if isinstance(factor, Decimal) and not factor.is_finite():
            raise InvariantError.got("Money.__mul__", factor, "factor must be finite")
        return _trusted(_exact(_EXACT.multiply, self.amount, Decimal(factor)), self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return _trusted(-self.amount, self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return _trusted(abs(self.amount), self.currency)

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.amount >= other.amount

    def __str__(self) -> str:
        amount = self.amount
        quantum = QUANTA[self.currency]
        if int(amount.as_tuple().exponent) > -EXPONENTS[self.currency]:
            amount = amount.quantize(quantum, context=_ROUND)
        return f"{amount} {self.currency}"


def round_money(amount: Decimal, currency: str, rounding: Rounding) -> Money:
    """Round a Decimal amount to ``currency``'s minor unit with ``rounding``."""
    return Money(_validate.decimal("Money.amount", amount), currency).quantize(rounding)


def sum_money(values: Iterable[Money], currency: str) -> Money:
    """Add amounts of one currency; an empty iterable gives ``Money.zero(currency)``."""
    total = Money.zero(currency)
    for value in values:
        total = total + value
    return total


def _trusted(amount: Decimal, currency: str) -> Money:
    """A Money from a finite Decimal and a known currency, without re-validating them."""
    money = object.__new__(Money)
    object.__setattr__(money, "amount", amount)
    object.__setattr__(money, "currency", currency)
    return money


def _exact(
    operation: Callable[[Decimal, Decimal], Decimal], left: Decimal, right: Decimal
) -> Decimal:
    try:
        return operation(left, right)
    except (Inexact, Overflow):
        raise InvariantError.got(
            "Money.amount",
            left,
            f"result does not fit in {PRECISION} significant digits; amounts are exact",
        ) from None


def _integer_weights(ratios: Sequence[int | Decimal]) -> list[int]:
    values = [_validate.decimal(f"Money.allocate.ratios[{i}]", r) for i, r in enumerate(ratios)]
    if not values:
        raise InvariantError.got("Money.allocate.ratios", list(ratios), "must not be empty")
    for index, value in enumerate(values):
        if value < 0:
            raise InvariantError.got(f"Money.allocate.ratios[{index}]", value, "must be >= 0")
    scale = max(0, *(-int(v.as_tuple().exponent) for v in values))
    weights = [int(v.scaleb(scale, context=_ROUND)) for v in values]
    if sum(weights) == 0:
        raise InvariantError.got("Money.allocate.ratios", list(ratios), "must have a positive sum")
    return weights
