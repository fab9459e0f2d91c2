"""Request bodies of the record service, with NetSuite's field names (REST record
representation: references as ``{"id": …}`` or ``{"externalId": …}``, the item sublist as
``{"item": {"items": [...]}}``). Unknown fields are ignored, as NetSuite ignores them
unless ``X-NetSuite-PropertyNameValidation: error`` asks otherwise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "AdjustmentIn",
    "AdjustmentLineIn",
    "AdjustmentSublistIn",
    "CustomerIn",
    "ItemIn",
    "LineIn",
    "LocationIn",
    "Ref",
    "SublistIn",
    "TransactionIn",
]

_MODEL = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Ref(BaseModel):
    """A reference to another record: its internal ``id`` or its ``externalId``."""

    model_config = _MODEL

    id: str | None = Field(default=None, max_length=40)
    externalId: str | None = Field(default=None, max_length=40)

    @model_validator(mode="after")
    def _one(self) -> Ref:
        if not self.id and not self.externalId:
            raise ValueError("a reference needs id or externalId")
        return self


class LineIn(BaseModel):
    """One line of the ``item`` sublist."""

    model_config = _MODEL

    item: Ref
    quantity: Decimal = Field(gt=0, max_digits=20, decimal_places=5)
    rate: Decimal | None = Field(default=None, ge=0, max_digits=20, decimal_places=5)
    amount: Decimal | None = Field(default=None, ge=0, max_digits=20, decimal_places=5)
    """Line amount before tax; below quantity × rate it is a discount."""
    description: str | None = Field(default=None, max_length=100)
    location: Ref | None = None
    taxRate1: Decimal = Field(default=Decimal(0), ge=0, le=100, decimal_places=5)


class SublistIn(BaseModel):
    """A sublist sent as ``{"items": [...]}``."""

    model_config = _MODEL

    items: list[LineIn] = Field(default_factory=list, max_length=1000)


class TransactionIn(BaseModel):
    """A cash sale or credit memo."""

    model_config = _MODEL

    externalId: str | None = Field(default=None, max_length=35)
    entity: Ref | None = None
    tranDate: date | None = None
    location: Ref | None = None
    """Default location of the lines."""
    createdFrom: Ref | None = None
    """Credit memo: the cash sale it credits."""
    item: SublistIn = Field(default_factory=SublistIn)


class CustomerIn(BaseModel):
    """A customer; the mock keeps ``entityId`` and ``externalId`` equal (one key)."""

    model_config = _MODEL

    externalId: str | None = Field(default=None, max_length=20)
    entityId: str | None = Field(default=None, max_length=20)
    companyName: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=80)
    phone: str | None = Field(default=None, max_length=30)
    isInactive: bool | None = None


class ItemIn(BaseModel):
    """An inventory item; ``itemId`` (Item Name/Number) and ``externalId`` are one key."""

    model_config = _MODEL

    externalId: str | None = Field(default=None, max_length=40)
    itemId: str | None = Field(default=None, max_length=40)
    displayName: str | None = Field(default=None, max_length=100)
    basePrice: Decimal | None = Field(default=None, ge=0, max_digits=20, decimal_places=5)
    cost: Decimal | None = Field(default=None, ge=0, max_digits=20, decimal_places=5)
    upcCode: str | None = Field(default=None, max_length=14)
    isInactive: bool | None = None


class LocationIn(BaseModel):
    """A location; ``externalId`` is its code."""

    model_config = _MODEL

    externalId: str | None = Field(default=None, max_length=20)
    name: str | None = Field(default=None, max_length=100)


class AdjustmentLineIn(BaseModel):
    """One line of an inventory adjustment's ``inventory`` sublist."""

    model_config = _MODEL

    item: Ref
    location: Ref | None = None
    adjustQtyBy: Decimal = Field(max_digits=20, decimal_places=5)
    memo: str | None = Field(default=None, max_length=100)


class AdjustmentSublistIn(BaseModel):
    """The ``inventory`` sublist."""

    model_config = _MODEL

    items: list[AdjustmentLineIn] = Field(default_factory=list, max_length=1000)


class AdjustmentIn(BaseModel):
    """An inventory adjustment: quantity deltas per item and location."""

    model_config = _MODEL

    externalId: str | None = Field(default=None, max_length=35)
    tranDate: date | None = None
    adjLocation: Ref | None = None
    """Default location of the lines."""
    memo: str | None = Field(default=None, max_length=100)
    inventory: AdjustmentSublistIn = Field(default_factory=AdjustmentSublistIn)
