"""Item identifiers: SKU (the retailer's own code) and GTIN (EAN-13 barcode number).

Both are ``str`` subclasses validated on construction, so they travel as plain strings
(JSON, Parquet, SQL) yet cannot hold a malformed value.

Example::

    >>> Gtin.from_body("590123412345")
    Gtin('5901234123457')
"""

from __future__ import annotations

import re

from domain.errors import InvariantError

__all__ = ["Gtin", "Sku", "gtin_check_digit"]

_SKU = re.compile(r"[A-Za-z0-9._-]{1,40}")
_DIGITS_12 = re.compile(r"[0-9]{12}")
_DIGITS_13 = re.compile(r"[0-9]{13}")


class Sku(str):
    """A stock-keeping unit code: 1–40 characters of ``[A-Za-z0-9._-]``."""

    __slots__ = ()

    def __new__(cls, value: str) -> Sku:
        if not isinstance(value, str) or _SKU.fullmatch(value) is None:
            raise InvariantError.got("Sku", value, "must be 1–40 characters of [A-Za-z0-9._-]")
        return super().__new__(cls, value)

    def __repr__(self) -> str:
        return f"Sku({str(self)!r})"


def gtin_check_digit(body: str) -> int:
    """The GS1 check digit of a 12-digit EAN-13 body (weights 1,3,1,3,… from the left)."""
    if not isinstance(body, str) or _DIGITS_12.fullmatch(body) is None:
        raise InvariantError.got("Gtin.body", body, "must be exactly 12 digits")
    odd = sum(int(d) for d in body[0::2])
    even = sum(int(d) for d in body[1::2])
    return (10 - (odd + 3 * even) % 10) % 10


class Gtin(str):
    """A GTIN-13 / EAN-13: 13 digits whose last digit is the verified GS1 check digit."""

    __slots__ = ()

    def __new__(cls, value: str) -> Gtin:
        if not isinstance(value, str) or _DIGITS_13.fullmatch(value) is None:
            raise InvariantError.got("Gtin", value, "must be exactly 13 digits")
        expected = gtin_check_digit(value[:12])
        if int(value[12]) != expected:
            raise InvariantError.got(
                "Gtin",
                value,
                f"has check digit {value[12]} but its first 12 digits need {expected}",
                "re-read the barcode or build it with Gtin.from_body()",
            )
        return super().__new__(cls, value)

    @classmethod
    def from_body(cls, body: str) -> Gtin:
        """Append the check digit to a 12-digit body."""
        return cls(body + str(gtin_check_digit(body)))

    def __repr__(self) -> str:
        return f"Gtin({str(self)!r})"
