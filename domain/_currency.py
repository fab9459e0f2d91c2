"""ISO 4217 currencies and their minor units: the table money rounds to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from domain.errors import InvariantError

__all__ = ["CURRENCIES", "Currency"]


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency: its code and the exponent of its minor unit (USD 2, JPY 0)."""

    code: str
    exponent: int

    @classmethod
    def of(cls, code: str) -> Currency:
        """Look up a currency by ISO code; unknown codes raise InvariantError."""
        try:
            return CURRENCIES[code]
        except (KeyError, TypeError):
            raise InvariantError.got(
                "Currency.code",
                code,
                "must be a known ISO 4217 code such as USD, EUR, GBP or JPY",
                "see domain.CURRENCIES for the full list",
            ) from None

    @property
    def quantum(self) -> Decimal:
        """One minor unit, e.g. ``Decimal('0.01')`` for USD, ``Decimal('1')`` for JPY."""
        return QUANTA[self.code]


# ISO 4217 minor units for the currencies a retail chain is likely to meet.
EXPONENTS: dict[str, int] = {
    "AED": 2, "ARS": 2, "AUD": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0,
    "CNY": 2, "COP": 2, "CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2, "HKD": 2,
    "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0,
    "KWD": 3, "MXN": 2, "MYR": 2, "NOK": 2, "NZD": 2, "OMR": 3, "PHP": 2, "PLN": 2,
    "RON": 2, "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2,
    "UAH": 2, "USD": 2, "VND": 0, "ZAR": 2,
}  # fmt: skip

CURRENCIES: Mapping[str, Currency] = MappingProxyType(
    {code: Currency(code, exponent) for code, exponent in EXPONENTS.items()}
)
"""Known currencies by ISO code."""

QUANTA: dict[str, Decimal] = {
    code: Decimal(1).scaleb(-exponent) for code, exponent in EXPONENTS.items()
}
ZEROS: dict[str, Decimal] = {code: Decimal(0).quantize(q) for code, q in QUANTA.items()}
