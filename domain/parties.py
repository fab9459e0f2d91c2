"""The people and places of a retail chain: stores, registers, cashiers, customers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from math import inf
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain import _validate
from domain.errors import InvariantError

__all__ = ["REGISTER_KINDS", "Cashier", "Customer", "Register", "RegisterKind", "Store"]

RegisterKind = Literal["staffed", "self_checkout"]
REGISTER_KINDS: tuple[RegisterKind, ...] = get_args(RegisterKind)

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@lru_cache(maxsize=512)
def _known_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@dataclass(frozen=True, slots=True)
class Store:
    """A store of the chain."""

    store_id: str
    name: str
    address: str
    timezone: str
    """IANA time-zone name, e.g. ``America/Chicago``; business days are local to it."""
    size_class: str
    """Free label of the format, e.g. ``small``, ``supermarket``, ``hypermarket``."""
    size_factor: float
    """Traffic multiplier relative to the chain's average store (1.0 = average); > 0."""

    def __post_init__(self) -> None:
        _validate.identifier("Store.store_id", self.store_id)
        _validate.text("Store.name", self.name)
        _validate.text("Store.address", self.address)
        if not isinstance(self.timezone, str) or not _known_timezone(self.timezone):
            raise InvariantError.got(
                "Store.timezone",
                self.timezone,
                "must be an IANA time-zone name like 'Europe/Paris'",
            )
        _validate.text("Store.size_class", self.size_class)
        factor = self.size_factor
        if isinstance(factor, bool) or not isinstance(factor, int | float) or not 0 < factor < inf:
            raise InvariantError.got("Store.size_factor", factor, "must be a finite number > 0")

    @property
    def zone(self) -> ZoneInfo:
        """The store's time zone."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Register:
    """A till (ARTS: workstation) in a store, staffed or self-checkout."""

    register_id: str
    store_id: str
    kind: RegisterKind

    def __post_init__(self) -> None:
        _validate.identifier("Register.register_id", self.register_id)
        _validate.identifier("Register.store_id", self.store_id)
        if self.kind not in REGISTER_KINDS:
            raise InvariantError.got(
                "Register.kind", self.kind, "must be 'staffed' or 'self_checkout'"
            )


@dataclass(frozen=True, slots=True)
class Cashier:
    """An operator who rings up sales at one store."""

    cashier_id: str
    store_id: str
    name: str

    def __post_init__(self) -> None:
        _validate.identifier("Cashier.cashier_id", self.cashier_id)
        _validate.identifier("Cashier.store_id", self.store_id)
        _validate.text("Cashier.name", self.name)


@dataclass(frozen=True, slots=True)
class Customer:
    """A known customer; anonymous walk-in sales carry no Customer at all."""

    customer_id: str
    name: str
    email: str | None = None
    loyalty_id: str | None = None

    def __post_init__(self) -> None:
        _validate.identifier("Customer.customer_id", self.customer_id)
        _validate.text("Customer.name", self.name)
        if self.email is not None and (
            not isinstance(self.email, str) or _EMAIL.fullmatch(self.email) is None
        ):
            raise InvariantError.got(
                "Customer.email", self.email, "must look like name@example.com or be None"
            )
        _validate.optional_identifier("Customer.loyalty_id", self.loyalty_id)
