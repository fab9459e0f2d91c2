"""Shared pieces of Square request schemas: money, bounded strings, enums."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator


class Model(BaseModel):
    """Base of request schemas: unknown fields are ignored, as Square's API does."""

    model_config = ConfigDict(extra="ignore")

    def dump(self) -> dict[str, Any]:
        """The fields that were sent, as plain JSON-like data for the engine."""
        return self.model_dump(exclude_none=True, by_alias=True)


MAX_SAFE_INTEGER = 2**53
"""Largest integer every JSON peer reads exactly (JavaScript's Number.MAX_SAFE_INTEGER + 1)."""
MAX_OPEN_DEPTH = 32
"""How deeply an unknown field may nest lists and objects."""


def _unsafe(value: Any, path: str, depth: int) -> str | None:
    """Why ``value`` cannot be kept as JSON (naming where), or None when it can."""
    if depth > MAX_OPEN_DEPTH:
        return f"{path}: nested more than {MAX_OPEN_DEPTH} levels deep"
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return None
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            return f"{path}: integer out of range (|n| <= 2^53), got {value}"
        return None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _unsafe(item, f"{path}[{index}]", depth + 1)
            if found:
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _unsafe(item, f"{path}.{key}", depth + 1)
            if found:
                return found
    return None


class OpenModel(Model):
    """A schema whose unknown fields are kept (stored and echoed back) — as long as they are
    JSON every peer can read back: integers within 2^53, nesting at most 32 levels."""

    model_config = ConfigDict(extra="allow")

    @model_validator(mode="after")
    def _extras_are_plain_json(self) -> OpenModel:
        for name, value in (self.model_extra or {}).items():
            problem = _unsafe(value, name, 1)
            if problem:
                raise ValueError(problem)
        return self


# Bounded strings: S<max> may be empty, S<max>R needs at least one character.
S10 = Annotated[str, StringConstraints(min_length=0, max_length=10)]
S12R = Annotated[str, StringConstraints(min_length=1, max_length=12)]
S14 = Annotated[str, StringConstraints(min_length=0, max_length=14)]
S17 = Annotated[str, StringConstraints(min_length=0, max_length=17)]
S20 = Annotated[str, StringConstraints(min_length=0, max_length=20)]
S26R = Annotated[str, StringConstraints(min_length=1, max_length=26)]
S30 = Annotated[str, StringConstraints(min_length=0, max_length=30)]
S34R = Annotated[str, StringConstraints(min_length=1, max_length=34)]
S40 = Annotated[str, StringConstraints(min_length=0, max_length=40)]
S45R = Annotated[str, StringConstraints(min_length=1, max_length=45)]
S50 = Annotated[str, StringConstraints(min_length=0, max_length=50)]
S50R = Annotated[str, StringConstraints(min_length=1, max_length=50)]
S60 = Annotated[str, StringConstraints(min_length=0, max_length=60)]
S60R = Annotated[str, StringConstraints(min_length=1, max_length=60)]
S64 = Annotated[str, StringConstraints(min_length=0, max_length=64)]
S64R = Annotated[str, StringConstraints(min_length=1, max_length=64)]
S100 = Annotated[str, StringConstraints(min_length=0, max_length=100)]
S100R = Annotated[str, StringConstraints(min_length=1, max_length=100)]
S128R = Annotated[str, StringConstraints(min_length=1, max_length=128)]
S191 = Annotated[str, StringConstraints(min_length=0, max_length=191)]
S192 = Annotated[str, StringConstraints(min_length=0, max_length=192)]
S192R = Annotated[str, StringConstraints(min_length=1, max_length=192)]
S200R = Annotated[str, StringConstraints(min_length=1, max_length=200)]
S254 = Annotated[str, StringConstraints(min_length=0, max_length=254)]
S255 = Annotated[str, StringConstraints(min_length=0, max_length=255)]
S255R = Annotated[str, StringConstraints(min_length=1, max_length=255)]
S300 = Annotated[str, StringConstraints(min_length=0, max_length=300)]
S400 = Annotated[str, StringConstraints(min_length=0, max_length=400)]
S500 = Annotated[str, StringConstraints(min_length=0, max_length=500)]
S512 = Annotated[str, StringConstraints(min_length=0, max_length=512)]
S1024 = Annotated[str, StringConstraints(min_length=0, max_length=1024)]
S2000 = Annotated[str, StringConstraints(min_length=0, max_length=2000)]
S2000R = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
S4096 = Annotated[str, StringConstraints(min_length=0, max_length=4096)]
Id = S192R
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Amount = Annotated[int, Field(ge=0, le=10**12)]
Version = Annotated[int, Field(ge=0, le=2**53)]
Limit = Annotated[int, Field(ge=1, le=1_000_000)]
Metadata = Annotated[
    dict[
        Annotated[str, StringConstraints(min_length=1, max_length=60)],
        Annotated[str, StringConstraints(max_length=255)],
    ],
    Field(max_length=10),
]
SortOrder = Literal["ASC", "DESC"]
InventoryState = Literal[
    "CUSTOM",
    "IN_STOCK",
    "SOLD",
    "RETURNED_BY_CUSTOMER",
    "RESERVED_FOR_SALE",
    "SOLD_ONLINE",
    "ORDERED_FROM_VENDOR",
    "RECEIVED_FROM_VENDOR",
    "IN_TRANSIT_TO",
    "NONE",
    "WASTE",
    "UNLINKED_RETURN",
    "COMPOSED",
    "DECOMPOSED",
    "SUPPORTED_BY_NEWER_VERSION",
    "IN_TRANSIT",
]
OrderState = Literal["OPEN", "COMPLETED", "CANCELED", "DRAFT"]


class Money(Model):
    """Square `Money`: integer minor units and an ISO 4217 currency."""

    amount: Amount
    currency: Currency
